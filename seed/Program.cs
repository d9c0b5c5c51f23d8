namespace DanVanKheo.Seed;

public static class SeedProgram
{
    public static int Main() => 1;
}
