namespace DanVanKheo.Api.Units;

public static class UnitsModule
{
    /// <summary>The units feature's use cases.</summary>
    public static IServiceCollection AddUnits(this IServiceCollection services) => services
        .AddScoped<CreateUnit>()
        .AddScoped<UpdateUnit>()
        .AddScoped<RecordUnitSuccession>();
}
