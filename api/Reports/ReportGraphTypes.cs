using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;
using GraphQL.Types;

namespace DanVanKheo.Api.Reports;

public sealed class ReportEntryKindGraphType : EnumerationGraphType<ReportEntryKind>
{
    public ReportEntryKindGraphType()
    {
        Name = "ReportEntryKind";
        Description = "Model (mô hình), collective exemplar or individual exemplar (điển hình tập thể / cá nhân).";
        this.DescribeValues(
            ("MODEL", "A model (mô hình): a way of working that others can adopt."),
            ("COLLECTIVE_EXEMPLAR", "A collective exemplar (điển hình tập thể): a group recognised as an example."),
            ("INDIVIDUAL_EXEMPLAR", "An individual exemplar (điển hình cá nhân): a person recognised as an example."));
    }
}

public sealed class FieldTallyGraphType : ObjectGraphType<Tally<string>>
{
    public FieldTallyGraphType()
    {
        Name = "FieldTally";
        Description = "Entries of one field of work.";
        Field<NonNullGraphType<FieldGraphType>>("field").Description("The field of work counted.").Resolve(c => c.LoadField(c.Source.Key));
        Field(t => t.Count).Description("How many fall in this group.");
    }
}

public sealed class FormTallyGraphType : ObjectGraphType<Tally<string>>
{
    public FormTallyGraphType()
    {
        Name = "RecognitionFormTally";
        Description = "Recognitions of one form (Giấy khen, Bằng khen…).";
        Field<NonNullGraphType<StringGraphType>>("form").Description("The form of recognition.").Resolve(c => c.Source.Key);
        Field(t => t.Count).Description("How many fall in this group.");
    }
}

public class EnumTallyGraphType<TEnum, TGraph> : ObjectGraphType<Tally<TEnum>> where TGraph : IGraphType
{
    protected EnumTallyGraphType(string name, string key, string description)
    {
        Name = name;
        Description = description;
        Field<NonNullGraphType<TGraph>>(key).Description("The value counted.").Resolve(c => c.Source.Key);
        Field(t => t.Count).Description("How many fall in this group.");
    }
}

public sealed class KindTallyGraphType() : EnumTallyGraphType<ReportEntryKind, ReportEntryKindGraphType>("KindTally", "kind", "Entries of one kind.");
public sealed class LevelTallyGraphType() : EnumTallyGraphType<EntryLevel, EntryLevelGraphType>("LevelTally", "level", "Entries (or recognitions) at one level.");
public sealed class StatusTallyGraphType() : EnumTallyGraphType<EntryStatus, EntryStatusGraphType>("StatusTally", "status", "Entries in one status.");
public sealed class NoveltyTallyGraphType() : EnumTallyGraphType<EntryNovelty, EntryNoveltyGraphType>("NoveltyTally", "novelty", "New, continuing or replicated entries.");

public sealed class ResultTotalsGraphType : ObjectGraphType<ResultTotals>
{
    public ResultTotalsGraphType()
    {
        Name = "ResultTotals";
        Description = "Outcome figures of the entries counted, summed.";
        Field(r => r.HouseholdsReached).Description("The number of households reached.");
        Field(r => r.PeopleReached).Description("The number of people reached.");
        Field(r => r.MoneyMobilizedVnd).Description("Money mobilised, VND.");
        Field(r => r.LandDonatedM2).Description("Land donated, m².");
        Field(r => r.Workdays).Description("The number of workdays contributed.");
    }
}

public sealed class RecognitionSectionGraphType : ObjectGraphType<RecognitionSection>
{
    public RecognitionSectionGraphType()
    {
        Name = "ReportRecognitions";
        Description = "Recognitions conferred by the year's published rounds on entries in scope, from the recognition records: by issuing level (a provincial Bằng khen counts at PROVINCE) and by form.";
        Field(s => s.Source).Description("Always RECOGNITIONS: counted from the recognition records (form, issuing level, decision, round).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LevelTallyGraphType>>>>("byLevel").Description("Recognition counts by issuing level.").Resolve(c => c.Source.ByLevel);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FormTallyGraphType>>>>("byForm").Description("By form; empty in the fallback.").Resolve(c => c.Source.ByForm);
        Field(s => s.Total).Description("All recognitions counted.");
    }
}

public sealed class ReplicationSectionGraphType : ObjectGraphType<ReplicationSection>
{
    public ReplicationSectionGraphType()
    {
        Name = "ReportReplications";
        Description = "Replications by adopting units in scope.";
        Field(s => s.Planned).Description("Planned (recorded) in the year.");
        Field(s => s.Started).Description("Started implementing in the year.");
        Field(s => s.Sustained).Description("Judged sustained in the year.");
        Field(s => s.Discontinued).Description("Discontinued in the year.");
        Field(s => s.ActiveAtYearEnd).Description("Planned by 31/12 and not discontinued by then.");
        Field(s => s.PeopleReached).Description("People reached by replications ongoing in the year.");
        Field(s => s.HouseholdsReached).Description("Households reached by replications ongoing in the year.");
        Field(s => s.MoneyMobilizedVnd).Description("Money mobilised by replications ongoing in the year, VND.");
    }
}

public sealed class ReportRowGraphType : ObjectGraphType<ReportRow>
{
    public ReportRowGraphType()
    {
        Name = "ReportRow";
        Description = "The roll-up line of one child unit, or of the unit itself for its own entries.";
        Field<NonNullGraphType<UnitGraphType>>("unit").Description("The child unit (or the unit itself).").Resolve(c => c.LoadUnit(c.Source.UnitId));
        Field(r => r.IsSelf).Description("True for the report unit's own entries.");
        Field(r => r.Entries).Description("The number of entries counted.");
        Field(r => r.Models).Description("The number of models.");
        Field(r => r.CollectiveExemplars).Description("The number of collective exemplars.");
        Field(r => r.IndividualExemplars).Description("The number of individual exemplars.");
        Field(r => r.Drafts).Description("Drafts (only for callers who may see them).");
        Field(r => r.Registered).Description("The number of REGISTERED entries.");
        Field(r => r.Recognized).Description("The number of RECOGNIZED entries.");
        Field(r => r.Discontinued).Description("The number of DISCONTINUED entries.");
        Field(r => r.New).Description("The number of new entries.");
        Field(r => r.Continuing).Description("The number of entries continuing an earlier one.");
        Field(r => r.Replicated).Description("Replicated from another unit.");
        Field(r => r.HouseholdsReached).Description("The number of households reached.");
        Field(r => r.PeopleReached).Description("The number of people reached.");
        Field(r => r.MoneyMobilizedVnd).Description("Money mobilised, VND.");
        Field(r => r.ReplicationsStarted).Description("Replications started in the year.");
    }
}

public sealed class AnnualReportGraphType : ObjectGraphType<AnnualReport>
{
    public AnnualReportGraphType()
    {
        Name = "AnnualReport";
        Description = "Annual report (báo cáo kết quả) of a unit, optionally with its subunits, for one year.";
        Field<NonNullGraphType<UnitGraphType>>("unit").Description("The unit reported on.").Resolve(c => c.Source.Unit);
        Field(r => r.Year).Description("The year (entries registered in it).");
        Field(r => r.IncludeSubunits).Description("Whether units below are included.");
        Field(r => r.AsOf, nullable: true).Description("When set, historical units rolled up into their successors on this day.");
        Field(r => r.TotalEntries).Description("The number of entries the report counts.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FieldTallyGraphType>>>>("byField").Description("By field of work, in display order.").Resolve(c => c.Source.ByField);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindTallyGraphType>>>>("byKind").Description("Entry counts by kind of entry.").Resolve(c => c.Source.ByKind);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LevelTallyGraphType>>>>("byLevel").Description("By registration level.").Resolve(c => c.Source.ByLevel);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StatusTallyGraphType>>>>("byStatus").Description("Entry counts by status.").Resolve(c => c.Source.ByStatus);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NoveltyTallyGraphType>>>>("byNovelty").Description("New, continuing, replicated.").Resolve(c => c.Source.ByNovelty);
        Field<NonNullGraphType<ResultTotalsGraphType>>("results").Description("Outcome figures summed.").Resolve(c => c.Source.Results);
        Field<NonNullGraphType<RecognitionSectionGraphType>>("recognitions").Description("The recognitions section of the report.").Resolve(c => c.Source.Recognitions);
        Field<NonNullGraphType<ReplicationSectionGraphType>>("replications").Description("The replications section of the report.").Resolve(c => c.Source.Replications);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LeaderboardRowGraphType>>>>("topReplicated")
            .Description($"The unit's (and subunits') models most replicated in the year, at most {ReportAssembler.TopReplicated}.").Resolve(c => c.Source.TopReplicated);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportRowGraphType>>>>("children")
            .Description("Per-child-unit breakdown for roll-up: the unit's own line first, then children by id.").Resolve(c => c.Source.Children);
    }
}
