using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;

namespace DanVanKheo.Api.Reports;

/// <summary>One line of the exported summary: section, indicator, value (Vietnamese labels).</summary>
public sealed record ReportLine(string Section, string Indicator, string Value);

/// <summary>
/// GET /reports/{unitCode}/{year}.csv and .xlsx: the GraphQL report as files Excel opens directly
/// (UTF-8 with BOM for CSV). Same access rules: anonymous callers get public data only.
/// Query string: includeSubunits (default true), asOf (yyyy-MM-dd). Refusals carry a plain-text reason:
/// 400 for a bad year or query value, 404 for an unknown unit code or format.
/// </summary>
public static class ReportExports
{
    public const string SummarySheet = "Tổng hợp";
    public const string UnitsSheet = "Theo đơn vị";
    public static readonly ImmutableArray<string> CsvHeader = ["Phần", "Chỉ tiêu", "Giá trị"];

    public static IEndpointRouteBuilder MapReportExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/reports/{unitCode}/{year:int}.{format}", ExportAsync);
        return endpoints;
    }

    private static async Task ExportAsync(HttpContext http, string unitCode, int year, string format, string? includeSubunits, string? asOf,
        [FromServices] ReportAssembler assembler, [FromServices] IUnitStore unitStore, [FromServices] IFieldStore fieldStore,
        [FromServices] IEntryStore entries, [FromServices] MessageText text)
    {
        format = format.ToLowerInvariant();
        if (format is not ("csv" or "xlsx"))
        {
            await RefuseAsync(http, StatusCodes.Status404NotFound, text.Format(new(Messages.ExportFormatUnknown, format)));
            return;
        }
        var auth = await http.AuthenticateAsync();
        if (auth.Failure is not null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return;
        }
        var (arguments, refusal) = Refusals.Try(() => ReadArguments(year, includeSubunits, asOf));
        if (refusal is not null)
        {
            await RefuseAsync(http, StatusCodes.Status400BadRequest, text.Format(refusal.Text));
            return;
        }
        var (subunits, day) = arguments;
        var ct = http.RequestAborted;
        var unit = await unitStore.GetByCodeAsync(unitCode, ct);
        if (unit is null)
        {
            await RefuseAsync(http, StatusCodes.Status404NotFound, text.Format(new(Messages.UnitCodeUnknown, unitCode)));
            return;
        }
        var caller = Caller.From(auth.Principal);
        var report = await assembler.BuildAsync(
            new ReportRequest(unit, year, subunits, day, EntryAccess.VisibilityFor(caller)), ct);
        var fields = (await fieldStore.ListAsync(ct)).ToDictionary(f => f.Id, f => f.Name);
        var topTitles = (await entries.GetByIdsAsync(report.TopReplicated.Select(t => t.SourceEntryId).ToList(), ct))
            .ToDictionary(e => e.Id, e => $"{e.Code} – {e.Title}");
        var unitNames = (await unitStore.GetByIdsAsync(report.Children.Select(r => r.UnitId).ToList(), ct)).ToDictionary(u => u.Id);

        var lines = Lines(report, id => fields.GetValueOrDefault(id) ?? id, id => topTitles.GetValueOrDefault(id) ?? id,
            id => unitNames.GetValueOrDefault(id)?.Name ?? id);
        var fileName = $"bao-cao-{unit.Code}-{year}.{format}";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        if (format == "csv")
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            await http.Response.Body.WriteAsync(Csv(lines), ct);
        }
        else
        {
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            var buffer = new MemoryStream();
            var sheets = new Dictionary<string, object>
            {
                [SummarySheet] = lines.Select(l => new Dictionary<string, object>
                {
                    [CsvHeader[0]] = l.Section, [CsvHeader[1]] = l.Indicator, [CsvHeader[2]] = l.Value,
                }).ToList(),
                [UnitsSheet] = UnitRows(report, id => unitNames.GetValueOrDefault(id)),
            };
            await buffer.SaveAsAsync(sheets, cancellationToken: ct);
            buffer.Position = 0;
            await buffer.CopyToAsync(http.Response.Body, ct);
        }
    }

    /// <summary>A refusal the caller can read: plain text, nothing exported.</summary>
    private static Task RefuseAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(message, http.RequestAborted);
    }

    public static string Label(ReportEntryKind k) => k switch
    {
        ReportEntryKind.Model => "Mô hình",
        ReportEntryKind.CollectiveExemplar => "Điển hình tập thể",
        _ => "Điển hình cá nhân",
    };

    public static string Label(EntryLevel l) => l switch
    {
        EntryLevel.Commune => "Cơ sở",
        EntryLevel.District => "Cấp huyện",
        EntryLevel.Province => "Cấp tỉnh",
        _ => "Toàn quốc",
    };

    public static string Label(EntryStatus s) => s switch
    {
        EntryStatus.Draft => "Bản nháp",
        EntryStatus.Registered => "Đã đăng ký",
        EntryStatus.Recognized => "Được công nhận",
        _ => "Dừng thực hiện",
    };

    public static string Label(EntryNovelty n) => n switch
    {
        EntryNovelty.New => "Mới",
        EntryNovelty.Continuing => "Tiếp tục",
        _ => "Nhân rộng từ đơn vị khác",
    };

    public static IReadOnlyList<ReportLine> Lines(AnnualReport r, Func<string, string> fieldName, Func<string, string> entryTitle, Func<string, string> unitName)
    {
        static string N(double v) => v.ToString(CultureInfo.InvariantCulture);
        var lines = new List<ReportLine>
        {
            new("Tổng quan", "Đơn vị", r.Unit.Name),
            new("Tổng quan", "Năm", N(r.Year)),
            new("Tổng quan", "Gồm đơn vị trực thuộc", r.IncludeSubunits ? "Có" : "Không"),
            new("Tổng quan", "Quy về đơn vị kế thừa tại ngày", r.AsOf?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? ""),
            new("Tổng quan", "Tổng số mô hình, điển hình", N(r.TotalEntries)),
        };
        lines.AddRange(r.ByField.Select(t => new ReportLine("Theo lĩnh vực", fieldName(t.Key), N(t.Count))));
        lines.AddRange(r.ByKind.Select(t => new ReportLine("Theo loại", Label(t.Key), N(t.Count))));
        lines.AddRange(r.ByLevel.Select(t => new ReportLine("Theo cấp đăng ký", Label(t.Key), N(t.Count))));
        lines.AddRange(r.ByStatus.Select(t => new ReportLine("Theo trạng thái", Label(t.Key), N(t.Count))));
        lines.AddRange(r.ByNovelty.Select(t => new ReportLine("Mới, tiếp tục, nhân rộng", Label(t.Key), N(t.Count))));
        lines.Add(new("Kết quả", "Số hộ được vận động", N(r.Results.HouseholdsReached)));
        lines.Add(new("Kết quả", "Số người được vận động", N(r.Results.PeopleReached)));
        lines.Add(new("Kết quả", "Số tiền huy động (đồng)", N(r.Results.MoneyMobilizedVnd)));
        lines.Add(new("Kết quả", "Đất hiến (m²)", N(r.Results.LandDonatedM2)));
        lines.Add(new("Kết quả", "Ngày công", N(r.Results.Workdays)));
        lines.AddRange(r.Recognitions.ByLevel.Select(t => new ReportLine("Khen thưởng, công nhận", Label(t.Key), N(t.Count))));
        lines.AddRange(r.Recognitions.ByForm.Select(t => new ReportLine("Khen thưởng theo hình thức", t.Key, N(t.Count))));
        lines.Add(new("Nhân rộng", "Đăng ký nhân rộng trong năm", N(r.Replications.Planned)));
        lines.Add(new("Nhân rộng", "Bắt đầu thực hiện", N(r.Replications.Started)));
        lines.Add(new("Nhân rộng", "Duy trì bền vững", N(r.Replications.Sustained)));
        lines.Add(new("Nhân rộng", "Dừng thực hiện", N(r.Replications.Discontinued)));
        lines.Add(new("Nhân rộng", "Đang thực hiện cuối năm", N(r.Replications.ActiveAtYearEnd)));
        lines.Add(new("Nhân rộng", "Số người được vận động", N(r.Replications.PeopleReached)));
        lines.Add(new("Nhân rộng", "Số hộ được vận động", N(r.Replications.HouseholdsReached)));
        lines.Add(new("Nhân rộng", "Số tiền huy động (đồng)", N(r.Replications.MoneyMobilizedVnd)));
        lines.AddRange(r.TopReplicated.Select(t => new ReportLine("Mô hình được nhân rộng nhiều nhất", entryTitle(t.SourceEntryId), N(t.Replications))));
        lines.AddRange(r.Children.Select(c => new ReportLine("Theo đơn vị", c.IsSelf ? unitName(c.UnitId) + " (trực tiếp)" : unitName(c.UnitId), N(c.Entries))));
        return lines;
    }

    public static byte[] Csv(IReadOnlyList<ReportLine> lines)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', CsvHeader.Select(Quote))).Append("\r\n");
        foreach (var l in lines)
            sb.Append(Quote(l.Section)).Append(',').Append(Quote(l.Indicator)).Append(',').Append(Quote(l.Value)).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static string Quote(string value)
    {
        // A cell starting like a formula would run as one in a spreadsheet (formula injection via a
        // unit or entry name); the leading apostrophe makes it text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static List<Dictionary<string, object>> UnitRows(AnnualReport r, Func<string, Unit?> unit) =>
        r.Children.Select(c => new Dictionary<string, object>
        {
            ["Đơn vị"] = (unit(c.UnitId)?.Name ?? c.UnitId) + (c.IsSelf ? " (trực tiếp)" : ""),
            ["Mã đơn vị"] = unit(c.UnitId)?.Code ?? "",
            ["Tổng số"] = c.Entries,
            ["Mô hình"] = c.Models,
            ["Điển hình tập thể"] = c.CollectiveExemplars,
            ["Điển hình cá nhân"] = c.IndividualExemplars,
            ["Đã đăng ký"] = c.Registered,
            ["Được công nhận"] = c.Recognized,
            ["Dừng thực hiện"] = c.Discontinued,
            ["Mới"] = c.New,
            ["Tiếp tục"] = c.Continuing,
            ["Nhân rộng từ đơn vị khác"] = c.Replicated,
            ["Số hộ"] = c.HouseholdsReached,
            ["Số người"] = c.PeopleReached,
            ["Số tiền (đồng)"] = c.MoneyMobilizedVnd,
            ["Nhân rộng bắt đầu trong năm"] = c.ReplicationsStarted,
        }).ToList();

    private static (bool Subunits, DateOnly? AsOf) ReadArguments(int year, string? includeSubunits, string? asOf)
    {
        ReportRules.CheckYear(year);
        var subunits = true;
        if (includeSubunits is not null && !bool.TryParse(includeSubunits, out subunits))
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.IncludeSubunitsTrueFalse), "includeSubunits");
        DateOnly? day = null;
        if (asOf is not null)
            day = DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : throw new DomainException(ErrorCodes.InvalidInput, new(Messages.AsOfNotADate), "asOf");
        return (subunits, day);
    }
}
