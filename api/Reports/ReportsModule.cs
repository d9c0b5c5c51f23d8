namespace DanVanKheo.Api.Reports;

public static class ReportsModule
{
    /// <summary>The reports feature's services: the assembler behind the GraphQL report and the file exports.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services) => services
        .AddScoped<ReportAssembler>();
}
