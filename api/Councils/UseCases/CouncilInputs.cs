namespace DanVanKheo.Api.Councils;

public sealed class CreateCouncilInput
{
    public string UnitId { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class AddCouncilMemberInput
{
    public string CouncilId { get; set; } = "";
    public int Version { get; set; }
    public string UserId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string HomeUnitId { get; set; } = "";
    public CouncilRole Role { get; set; }
}

public sealed class RemoveCouncilMemberInput
{
    public string CouncilId { get; set; } = "";
    public int Version { get; set; }
    public string UserId { get; set; } = "";
}
