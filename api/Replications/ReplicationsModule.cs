namespace DanVanKheo.Api.Replications;

public static class ReplicationsModule
{
    /// <summary>The replications feature's use cases.</summary>
    public static IServiceCollection AddReplications(this IServiceCollection services) => services
        .AddScoped<RecordReplication>()
        .AddScoped<ChangeReplication>();
}
