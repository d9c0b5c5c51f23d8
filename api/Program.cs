using DanVanKheo.Api.Hosting;

try
{
    var app = WebApplication.CreateBuilder(args).AddRegistry().Build();
    await app.UseRegistryAsync();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not HostAbortedException && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // A wrong setting or an unreachable store: one line naming it, exit code 1, no stack trace.
    // Only when the API is the process; in-process test hosts get the exception itself.
    Console.Error.WriteLine(StartupChecks.Describe(e));
    return 1;
}

public partial class Program;
