using DanVanKheo.Seed;

return await SeedCli.RunAsync(args);
