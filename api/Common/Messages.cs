namespace DanVanKheo.Api.Common;

/// <summary>
/// The keys of every message shown to users. The texts live in Messages.resx (Vietnamese, the
/// default) and Messages.en.resx (English); each error code is also a key, its default message.
/// This class is the resources' anchor for <c>IStringLocalizer&lt;Messages&gt;</c>.
/// </summary>
public sealed class Messages
{
    /// <summary>The Accept header must allow {0} or {1}.</summary>
    public const string AcceptNotSatisfiable = nameof(AcceptNotSatisfiable);

    /// <summary>Adaptation notes are limited to {0:N0} characters.</summary>
    public const string AdaptationNotesLimitedCharacters = nameof(AdaptationNotesLimitedCharacters);

    /// <summary>'after' continues another stream than 'stream'.</summary>
    public const string AfterContinuesAnotherStream = nameof(AfterContinuesAnotherStream);

    /// <summary>'after' is not a continueAfter of verifyAuditChain.</summary>
    public const string AfterNotAChainPosition = nameof(AfterNotAChainPosition);

    /// <summary>{0} is already a member of {1}.</summary>
    public const string AlreadyAMember = nameof(AlreadyAMember);

    /// <summary>An approval rule is required.</summary>
    public const string ApprovalRuleRequired = nameof(ApprovalRuleRequired);

    /// <summary>'asOf' must be a date written yyyy-MM-dd.</summary>
    public const string AsOfNotADate = nameof(AsOfNotADate);

    /// <summary>At least one predecessor is required.</summary>
    public const string AtLeastOnePredecessorRequired = nameof(AtLeastOnePredecessorRequired);

    /// <summary>At least one successor is required.</summary>
    public const string AtLeastOneSuccessorRequired = nameof(AtLeastOneSuccessorRequired);

    /// <summary>At most 100 ids per call.</summary>
    public const string AtMost100IdsPer = nameof(AtMost100IdsPer);

    /// <summary>At most 30 tags of up to 60 characters.</summary>
    public const string AtMost30TagsUp = nameof(AtMost30TagsUp);

    /// <summary>At most 50 evidence links.</summary>
    public const string AtMost50EvidenceLinks = nameof(AtMost50EvidenceLinks);

    /// <summary>The request is not valid: {0}</summary>
    public const string BadRequestDetail = nameof(BadRequestDetail);

    /// <summary>Round '{0}' is {1}; ballots are taken only while VOTING.</summary>
    public const string BallotsOnlyWhileVoting = nameof(BallotsOnlyWhileVoting);

    /// <summary>The request body is empty.</summary>
    public const string BodyEmpty = nameof(BodyEmpty);

    /// <summary>The request body is not valid JSON.</summary>
    public const string BodyNotJson = nameof(BodyNotJson);

    /// <summary>The request body must be a JSON object (batching is not supported).</summary>
    public const string BodyNotObject = nameof(BodyNotObject);

    /// <summary>The request body has text that is not valid Unicode.</summary>
    public const string BodyNotUnicode = nameof(BodyNotUnicode);

    /// <summary>The request body is not valid UTF-8.</summary>
    public const string BodyNotUtf8 = nameof(BodyNotUtf8);

    /// <summary>The request body exceeds {0} bytes.</summary>
    public const string BodyTooLarge = nameof(BodyTooLarge);

    /// <summary>The request body could not be read: {0}</summary>
    public const string BodyUnreadable = nameof(BodyUnreadable);

    /// <summary>Both deadlines are required.</summary>
    public const string BothDeadlinesRequired = nameof(BothDeadlinesRequired);

    /// <summary>{0} cannot replicate its own entry {1}.</summary>
    public const string CannotReplicateOwnEntry = nameof(CannotReplicateOwnEntry);

    /// <summary>The comment is limited to 2000 characters.</summary>
    public const string CommentLimited2000Characters = nameof(CommentLimited2000Characters);

    /// <summary>Your home unit is the nominating unit or above or below it: you must recuse from this nomination.</summary>
    public const string ConflictOfInterestRecuse = nameof(ConflictOfInterestRecuse);

    /// <summary>'{0}' contains a character that is not allowed (U+{1:X4}).</summary>
    public const string ContainsCharacterAllowedU = nameof(ContainsCharacterAllowedU);

    /// <summary>{0} is at version {1}; you sent {2}. Reload it and retry.</summary>
    public const string CouncilAtVersion = nameof(CouncilAtVersion);

    /// <summary>{0} changed meanwhile. Reload it and retry.</summary>
    public const string CouncilChangedMeanwhile = nameof(CouncilChangedMeanwhile);

    /// <summary>Round '{0}' is VOTING: {1}'s membership is frozen until it closes.</summary>
    public const string CouncilFrozenWhileVoting = nameof(CouncilFrozenWhileVoting);

    /// <summary>A council has at most 200 members.</summary>
    public const string CouncilHasAtMost200 = nameof(CouncilHasAtMost200);

    /// <summary>{0} has no members.</summary>
    public const string CouncilHasNoMembers = nameof(CouncilHasNoMembers);

    /// <summary>Council '{0}' was not found.</summary>
    public const string CouncilIdNotFound = nameof(CouncilIdNotFound);

    /// <summary>Council name must be 3–300 characters.</summary>
    public const string CouncilName3300Characters = nameof(CouncilName3300Characters);

    /// <summary>Council not found.</summary>
    public const string CouncilNotFound = nameof(CouncilNotFound);

    /// <summary>{0} already has a {1}.</summary>
    public const string CouncilRoleTaken = nameof(CouncilRoleTaken);

    /// <summary>Criterion '{0}': maximum score must be 1–1000.</summary>
    public const string CriterionMaximumScore11000 = nameof(CriterionMaximumScore11000);

    /// <summary>Criterion names must be distinct.</summary>
    public const string CriterionNamesDistinct = nameof(CriterionNamesDistinct);

    /// <summary>'{0}' is scored 0–{1}.</summary>
    public const string CriterionScoreRange = nameof(CriterionScoreRange);

    /// <summary>Criterion '{0}': weight must be 1–100.</summary>
    public const string CriterionWeight1100 = nameof(CriterionWeight1100);

    /// <summary>Criterion weights must sum to 100 (they sum to {0}).</summary>
    public const string CriterionWeightsSum100They = nameof(CriterionWeightsSum100They);

    /// <summary>'{0}' is not a cursor of this list in this order.</summary>
    public const string CursorListOrder = nameof(CursorListOrder);

    /// <summary>The cursor is older than the event retention window; reload the data and subscribe again.</summary>
    public const string CursorTooOld = nameof(CursorTooOld);

    /// <summary>The date {0} is before the replication's previous step ({1}).</summary>
    public const string DateBeforePreviousStep = nameof(DateBeforePreviousStep);

    /// <summary>'{0}' cannot be in the future.</summary>
    public const string DateInFuture = nameof(DateInFuture);

    /// <summary>'{0}' must be between {1:yyyy-MM-dd} and {2:yyyy-MM-dd}.</summary>
    public const string DateOutOfRange = nameof(DateOutOfRange);

    /// <summary>The decision number (số quyết định) must be 1–100 characters.</summary>
    public const string DecisionNumberLength = nameof(DecisionNumberLength);

    /// <summary>The derived entry is already linked to another replication.</summary>
    public const string DerivedEntryAlreadyLinkedAnother = nameof(DerivedEntryAlreadyLinkedAnother);

    /// <summary>The derived entry is already linked and cannot be changed or removed.</summary>
    public const string DerivedEntryAlreadyLinkedCannot = nameof(DerivedEntryAlreadyLinkedCannot);

    /// <summary>The derived entry {0} belongs to another unit, not to {1}.</summary>
    public const string DerivedEntryBelongsAnotherUnit = nameof(DerivedEntryBelongsAnotherUnit);

    /// <summary>Entry {0} is {1} or one of its ancestors: it cannot also derive from it.</summary>
    public const string DerivedIsSourceOrAncestor = nameof(DerivedIsSourceOrAncestor);

    /// <summary>Entry {0} says it replicates another entry, not {1}.</summary>
    public const string DerivedNamesAnotherSource = nameof(DerivedNamesAnotherSource);

    /// <summary>Display name must be 2–200 characters.</summary>
    public const string DisplayName2200Characters = nameof(DisplayName2200Characters);

    /// <summary>The query text does not hash to the document id sent with it.</summary>
    public const string DocumentHashMismatch = nameof(DocumentHashMismatch);

    /// <summary>A document id is a SHA-256 hash: 64 hex digits.</summary>
    public const string DocumentIdNotSha256 = nameof(DocumentIdNotSha256);

    /// <summary>documentId must have the form sha256:&lt;64 hex digits&gt;.</summary>
    public const string DocumentIdShape = nameof(DocumentIdShape);

    /// <summary>The document is nested too deeply to parse.</summary>
    public const string DocumentTooDeep = nameof(DocumentTooDeep);

    /// <summary>“{0}” (draft)</summary>
    public const string DraftEntryLabel = nameof(DraftEntryLabel);

    /// <summary>Each criterion needs a name of 2–200 characters.</summary>
    public const string EachCriterionNeedsName2 = nameof(EachCriterionNeedsName2);

    /// <summary>Only editors of {0} may nominate entry {1}.</summary>
    public const string EditorsMayNominateEntry = nameof(EditorsMayNominateEntry);

    /// <summary>Only editors of the nominating unit may withdraw the nomination.</summary>
    public const string EditorsNominatingUnitMayWithdraw = nameof(EditorsNominatingUnitMayWithdraw);

    /// <summary>Entry {0} is already DISCONTINUED.</summary>
    public const string EntryAlreadyDISCONTINUED = nameof(EntryAlreadyDISCONTINUED);

    /// <summary>Entry {0} is already nominated in round '{1}'.</summary>
    public const string EntryAlreadyNominatedRound = nameof(EntryAlreadyNominatedRound);

    /// <summary>Entry {0} is at version {1}; you sent {2}. Reload it and retry.</summary>
    public const string EntryAtVersionYouSent = nameof(EntryAtVersionYouSent);

    /// <summary>An entry cannot replicate its own unit's entry.</summary>
    public const string EntryCannotReplicateOwnUnit = nameof(EntryCannotReplicateOwnUnit);

    /// <summary>Entry {0} changed meanwhile. Reload it and retry.</summary>
    public const string EntryChangedMeanwhileReloadRetry = nameof(EntryChangedMeanwhileReloadRetry);

    /// <summary>Entry {0} changed since version {1}. Reload it and retry.</summary>
    public const string EntryChangedSinceVersionReload = nameof(EntryChangedSinceVersionReload);

    /// <summary>Entry {0} changed while the round was published; publish again.</summary>
    public const string EntryChangedWhileRoundWas = nameof(EntryChangedWhileRoundWas);

    /// <summary>Entry '{0}' was not found.</summary>
    public const string EntryNotFound = nameof(EntryNotFound);

    /// <summary>Entry {0}'s unit is outside the round's scope.</summary>
    public const string EntryUnitOutsideScope = nameof(EntryUnitOutsideScope);

    /// <summary>Evidence link '{0}' is not an http(s) URL.</summary>
    public const string EvidenceLinkHttpSURL = nameof(EvidenceLinkHttpSURL);

    /// <summary>An exemplar must be COLLECTIVE or INDIVIDUAL.</summary>
    public const string ExemplarTypeRequired = nameof(ExemplarTypeRequired);

    /// <summary>No '.{0}' export: use .csv or .xlsx.</summary>
    public const string ExportFormatUnknown = nameof(ExportFormatUnknown);

    /// <summary>{0} cannot be cleared; leave it out to keep the stored value.</summary>
    public const string FieldCannotBeCleared = nameof(FieldCannotBeCleared);

    /// <summary>'fieldId' is not a Field id.</summary>
    public const string FieldIdNotAField = nameof(FieldIdNotAField);

    /// <summary>'{0}' needs a bearer token ({1}).</summary>
    public const string FieldNeedsToken = nameof(FieldNeedsToken);

    /// <summary>Field not found.</summary>
    public const string FieldNotFound = nameof(FieldNotFound);

    /// <summary>'{0}' needs at least one filter.</summary>
    public const string FilterNeedsOneItem = nameof(FilterNeedsOneItem);

    /// <summary>'{0}' lists more than {1} values.</summary>
    public const string FilterTooManyValues = nameof(FilterTooManyValues);

    /// <summary>'first' must be between 1 and {0}.</summary>
    public const string FirstOutOfRange = nameof(FirstOutOfRange);

    /// <summary>{0} must be a fraction numerator/denominator with denominator 1–1000, between {1} and {2}.</summary>
    public const string FractionOutOfRange = nameof(FractionOutOfRange);

    /// <summary>A GET request needs exactly one 'query' (or 'documentId') parameter.</summary>
    public const string GetNeedsQuery = nameof(GetNeedsQuery);

    /// <summary>Give one score per criterion ({0}), in rubric order.</summary>
    public const string GiveOneScorePerCriterion = nameof(GiveOneScorePerCriterion);

    /// <summary>HTTP method {0} is not supported; use GET or POST.</summary>
    public const string HttpMethodNotSupported = nameof(HttpMethodNotSupported);

    /// <summary>'includeSubunits' must be true or false.</summary>
    public const string IncludeSubunitsTrueFalse = nameof(IncludeSubunitsTrueFalse);

    /// <summary>The bearer token in connection_init is invalid or expired.</summary>
    public const string InitTokenInvalid = nameof(InitTokenInvalid);

    /// <summary>Too many requests with an invalid token; try again later.</summary>
    public const string InvalidTokensTooOften = nameof(InvalidTokensTooOften);

    /// <summary>The justification must be 10–5000 characters.</summary>
    public const string Justification105000Characters = nameof(Justification105000Characters);

    /// <summary>Land donated must be a finite number.</summary>
    public const string LandDonatedFiniteNumber = nameof(LandDonatedFiniteNumber);

    /// <summary>{0} cannot be ordered by [{1}]: no index serves that order. Served orders: {2}.</summary>
    public const string ListCannotBeOrderedBy = nameof(ListCannotBeOrderedBy);

    /// <summary>{0} cannot combine filters with 'or': no index serves it.</summary>
    public const string ListCannotCombineOr = nameof(ListCannotCombineOr);

    /// <summary>{0} cannot filter '{1}' with '{2}': no index serves it. Served: {3}.</summary>
    public const string ListCannotFilterWith = nameof(ListCannotFilterWith);

    /// <summary>A string literal is not valid Unicode (it has a lone surrogate escape).</summary>
    public const string LoneSurrogateLiteral = nameof(LoneSurrogateLiteral);

    /// <summary>'{0}' is not a well-formed global id.</summary>
    public const string MalformedGlobalId = nameof(MalformedGlobalId);

    /// <summary>maxRecognitions cannot be negative.</summary>
    public const string MaxRecognitionsNegative = nameof(MaxRecognitionsNegative);

    /// <summary>You may not use '{0}': {1}</summary>
    public const string MayNotUseField = nameof(MayNotUseField);

    /// <summary>'{0}' must be a JSON object.</summary>
    public const string MemberMustBeObject = nameof(MemberMustBeObject);

    /// <summary>'{0}' must be a JSON object or null.</summary>
    public const string MemberMustBeObjectOrNull = nameof(MemberMustBeObjectOrNull);

    /// <summary>'{0}' must be a string.</summary>
    public const string MemberMustBeString = nameof(MemberMustBeString);

    /// <summary>'{0}' must be a string or null.</summary>
    public const string MemberMustBeStringOrNull = nameof(MemberMustBeStringOrNull);

    /// <summary>'{0}' is not valid JSON.</summary>
    public const string MemberNotJson = nameof(MemberNotJson);

    /// <summary>'{0}' has text that is not valid Unicode.</summary>
    public const string MemberNotUnicode = nameof(MemberNotUnicode);

    /// <summary>The member's user id (token oid or sub) is required.</summary>
    public const string MemberUserIdRequired = nameof(MemberUserIdRequired);

    /// <summary>Only members of the council of round '{0}' vote in it.</summary>
    public const string MembersCouncilRoundVote = nameof(MembersCouncilRoundVote);

    /// <summary>A model has no exemplar type.</summary>
    public const string ModelHasExemplarType = nameof(ModelHasExemplarType);

    /// <summary>Mutations require a bearer token.</summary>
    public const string MutationNeedsToken = nameof(MutationNeedsToken);

    /// <summary>no filter on this field</summary>
    public const string NoFilterOnField = nameof(NoFilterOnField);

    /// <summary>No more entry codes for {0}.</summary>
    public const string NoMoreEntryCodes = nameof(NoMoreEntryCodes);

    /// <summary>The nomination is not an active nomination of this round.</summary>
    public const string NominationActiveNominationRound = nameof(NominationActiveNominationRound);

    /// <summary>The nomination is at version {0}; you sent {1}. Reload it and retry.</summary>
    public const string NominationAtVersionYouSent = nameof(NominationAtVersionYouSent);

    /// <summary>The nomination changed meanwhile. Reload it and retry.</summary>
    public const string NominationChangedMeanwhileReloadRetry = nameof(NominationChangedMeanwhileReloadRetry);

    /// <summary>Nomination '{0}' was not found.</summary>
    public const string NominationNotFound = nameof(NominationNotFound);

    /// <summary>The nomination was already withdrawn.</summary>
    public const string NominationWasAlreadyWithdrawn = nameof(NominationWasAlreadyWithdrawn);

    /// <summary>Nominations for '{0}' closed at {1:yyyy-MM-dd HH:mm} UTC.</summary>
    public const string NominationsClosedAtUTC = nameof(NominationsClosedAtUTC);

    /// <summary>'{0}' is not a cursor of this feed.</summary>
    public const string NotAFeedCursor = nameof(NotAFeedCursor);

    /// <summary>{0} is not a member of {1}.</summary>
    public const string NotAMember = nameof(NotAMember);

    /// <summary>'{0}' is not a phone number.</summary>
    public const string NotAPhoneNumber = nameof(NotAPhoneNumber);

    /// <summary>'{0}' is not a Unit id.</summary>
    public const string NotAUnitId = nameof(NotAUnitId);

    /// <summary>'{0}' is not an Entry id.</summary>
    public const string NotAnEntryId = nameof(NotAnEntryId);

    /// <summary>'{0}' must be an http(s) URL.</summary>
    public const string NotAnHttpUrl = nameof(NotAnHttpUrl);

    /// <summary>'{0}' is not an id of a {1}.</summary>
    public const string NotAnIdOfType = nameof(NotAnIdOfType);

    /// <summary>Only the council's chair or secretary may change round '{0}'.</summary>
    public const string OfficersMayChangeRound = nameof(OfficersMayChangeRound);

    /// <summary>Only the council's chair or secretary may do this in round '{0}'.</summary>
    public const string OfficersOnly = nameof(OfficersOnly);

    /// <summary>Only the council's chair or secretary (or a registry admin) may do this in round '{0}'.</summary>
    public const string OfficersOrAdminOnly = nameof(OfficersOrAdminOnly);

    /// <summary>Set exactly one field in each sort input; list several inputs for several keys.</summary>
    public const string OneFieldPerSortInput = nameof(OneFieldPerSortInput);

    /// <summary>One of the units changed meanwhile. Reload and retry.</summary>
    public const string OneUnitsChangedMeanwhileReload = nameof(OneUnitsChangedMeanwhileReload);

    /// <summary>Round '{0}' is {1}; only a CLOSED round is published.</summary>
    public const string OnlyClosedRoundPublished = nameof(OnlyClosedRoundPublished);

    /// <summary>Round '{0}' is {1}; only a DRAFT round opens nominations.</summary>
    public const string OnlyDraftRoundOpensNominations = nameof(OnlyDraftRoundOpensNominations);

    /// <summary>Entry {0} is {1}; only DRAFT entries can be edited.</summary>
    public const string OnlyDraftsEdited = nameof(OnlyDraftsEdited);

    /// <summary>Entry {0} is {1}; only a DRAFT can be submitted.</summary>
    public const string OnlyDraftsSubmitted = nameof(OnlyDraftsSubmitted);

    /// <summary>Entry {0} is {1}; only a REGISTERED entry becomes RECOGNIZED.</summary>
    public const string OnlyRegisteredBecomesRecognized = nameof(OnlyRegisteredBecomesRecognized);

    /// <summary>Entry {0} is {1}; only registered entries can be nominated.</summary>
    public const string OnlyRegisteredNominated = nameof(OnlyRegisteredNominated);

    /// <summary>Round '{0}' is {1}; only a VOTING round closes.</summary>
    public const string OnlyVotingRoundCloses = nameof(OnlyVotingRoundCloses);

    /// <summary>Each field may appear once in 'order'.</summary>
    public const string OrderFieldOnce = nameof(OrderFieldOnce);

    /// <summary>Other results are limited to {0:N0} characters.</summary>
    public const string OtherResultsLimitedCharacters = nameof(OtherResultsLimitedCharacters);

    /// <summary>Outcome figures cannot be negative.</summary>
    public const string OutcomeFiguresCannotNegative = nameof(OutcomeFiguresCannotNegative);

    /// <summary>Outcomes text is limited to 10,000 characters.</summary>
    public const string OutcomesTextLimited10000 = nameof(OutcomesTextLimited10000);

    /// <summary>Page size must be between 0 and {0}.</summary>
    public const string PageSizeBetween0 = nameof(PageSizeBetween0);

    /// <summary>Parent unit not found.</summary>
    public const string ParentUnitNotFound = nameof(ParentUnitNotFound);

    /// <summary>Pass either 'first' or 'last', not both.</summary>
    public const string PassEitherFirstLastBoth = nameof(PassEitherFirstLastBoth);

    /// <summary>Pass either 'unitId' or 'where', not both.</summary>
    public const string PassEitherUnitIdOrWhere = nameof(PassEitherUnitIdOrWhere);

    /// <summary>Pass exactly one of 'id' or 'code'.</summary>
    public const string PassExactlyOneIdCode = nameof(PassExactlyOneIdCode);

    /// <summary>The request has no 'query' string.</summary>
    public const string PayloadHasNoQuery = nameof(PayloadHasNoQuery);

    /// <summary>The payload must be a JSON object.</summary>
    public const string PayloadNotObject = nameof(PayloadNotObject);

    /// <summary>The payload is not a valid GraphQL request.</summary>
    public const string PayloadNotRequest = nameof(PayloadNotRequest);

    /// <summary>extensions.persistedQuery must be an object with a sha256Hash string.</summary>
    public const string PersistedQueryShape = nameof(PersistedQueryShape);

    /// <summary>The person's full name is required.</summary>
    public const string PersonFullNameRequired = nameof(PersonFullNameRequired);

    /// <summary>Personal details belong to INDIVIDUAL exemplars only.</summary>
    public const string PersonOnlyForIndividuals = nameof(PersonOnlyForIndividuals);

    /// <summary>POST requests must have Content-Type: application/json.</summary>
    public const string PostNeedsJson = nameof(PostNeedsJson);

    /// <summary>A JSON property name is not valid Unicode (invalid UTF-8 or a lone surrogate escape).</summary>
    public const string PropertyNameNotUnicode = nameof(PropertyNameNotUnicode);

    /// <summary>The query string is too long.</summary>
    public const string QueryStringTooLong = nameof(QueryStringTooLong);

    /// <summary>The reason is limited to 2000 characters.</summary>
    public const string ReasonLimited2000Characters = nameof(ReasonLimited2000Characters);

    /// <summary>The recognition form (e.g. Bằng khen) must be 2–100 characters.</summary>
    public const string RecognitionFormLength = nameof(RecognitionFormLength);

    /// <summary>The recognition is required.</summary>
    public const string RecognitionRequired = nameof(RecognitionRequired);

    /// <summary>You recused from this nomination; a recusal is final.</summary>
    public const string RecusalIsFinal = nameof(RecusalIsFinal);

    /// <summary>{0} more refusals of {1} for {2} in the minute from {3:yyyy-MM-dd HH:mm} UTC: {4}</summary>
    public const string RefusalSummary = nameof(RefusalSummary);

    /// <summary>A REPLICATED entry names the entry it replicates.</summary>
    public const string ReplicatedEntryNeedsSource = nameof(ReplicatedEntryNeedsSource);

    /// <summary>The replicated entry was not found.</summary>
    public const string ReplicatedEntryNotFound = nameof(ReplicatedEntryNotFound);

    /// <summary>The replication is at version {0}; you sent {1}. Reload it and retry.</summary>
    public const string ReplicationAtVersionYouSent = nameof(ReplicationAtVersionYouSent);

    /// <summary>A {0} replication cannot become {1}.</summary>
    public const string ReplicationCannotBecome = nameof(ReplicationCannotBecome);

    /// <summary>The replication changed since version {0}. Reload it and retry.</summary>
    public const string ReplicationChangedSinceVersionReload = nameof(ReplicationChangedSinceVersionReload);

    /// <summary>Replication '{0}' was not found.</summary>
    public const string ReplicationNotFound = nameof(ReplicationNotFound);

    /// <summary>The replication or one below it changed meanwhile. Reload and retry.</summary>
    public const string ReplicationOneBelowChangedMeanwhile = nameof(ReplicationOneBelowChangedMeanwhile);

    /// <summary>'year' must be between {0} and {1}.</summary>
    public const string ReportYearOutOfRange = nameof(ReportYearOutOfRange);

    /// <summary>The request has no 'query' string (nor a 'documentId').</summary>
    public const string RequestHasNoQuery = nameof(RequestHasNoQuery);

    /// <summary>Result figures cannot be negative.</summary>
    public const string ResultFiguresCannotNegative = nameof(ResultFiguresCannotNegative);

    /// <summary>Round '{0}' is at version {1}; you sent {2}. Reload it and retry.</summary>
    public const string RoundAtVersionYouSent = nameof(RoundAtVersionYouSent);

    /// <summary>Round '{0}' is {1}; it can no longer change.</summary>
    public const string RoundCannotChange = nameof(RoundCannotChange);

    /// <summary>The round changed meanwhile. Reload it and publish again.</summary>
    public const string RoundChangedMeanwhileReloadPublish = nameof(RoundChangedMeanwhileReloadPublish);

    /// <summary>Round '{0}' changed meanwhile. Reload it and retry.</summary>
    public const string RoundChangedMeanwhileReloadRetry = nameof(RoundChangedMeanwhileReloadRetry);

    /// <summary>Round '{0}' is {1}; it does not take nominations.</summary>
    public const string RoundDoesTakeNominations = nameof(RoundDoesTakeNominations);

    /// <summary>The round has no stored tally.</summary>
    public const string RoundHasNoTally = nameof(RoundHasNoTally);

    /// <summary>'roundId' is not a Round id.</summary>
    public const string RoundIdNotARound = nameof(RoundIdNotARound);

    /// <summary>Round name must be 3–300 characters.</summary>
    public const string RoundName3300Characters = nameof(RoundName3300Characters);

    /// <summary>Round '{0}' is no longer VOTING.</summary>
    public const string RoundNoLongerVoting = nameof(RoundNoLongerVoting);

    /// <summary>Round '{0}' is {1}; nominations can be withdrawn only until voting opens.</summary>
    public const string RoundNominationsWithdrawnUntilVoting = nameof(RoundNominationsWithdrawnUntilVoting);

    /// <summary>Round '{0}' was not found.</summary>
    public const string RoundNotFound = nameof(RoundNotFound);

    /// <summary>Only members of the council of round '{0}' and administrators may follow the voting progress.</summary>
    public const string RoundProgressMembersOnly = nameof(RoundProgressMembersOnly);

    /// <summary>A rubric has 1–20 criteria.</summary>
    public const string RubricHas120Criteria = nameof(RubricHas120Criteria);

    /// <summary>A rubric is required.</summary>
    public const string RubricRequired = nameof(RubricRequired);

    /// <summary>{0} is outside the council's unit; a council judges its own subtree.</summary>
    public const string ScopeOutsideCouncilUnit = nameof(ScopeOutsideCouncilUnit);

    /// <summary>The round's scope unit was not found.</summary>
    public const string ScopeUnitNotFound = nameof(ScopeUnitNotFound);

    /// <summary>A scope unit is required.</summary>
    public const string ScopeUnitRequired = nameof(ScopeUnitRequired);

    /// <summary>The session expired; sign in again.</summary>
    public const string SessionExpired = nameof(SessionExpired);

    /// <summary>Sign in to do this.</summary>
    public const string SignInRequired = nameof(SignInRequired);

    /// <summary>You received events too slowly, so the subscription was ended; subscribe again with the last cursor.</summary>
    public const string SlowConsumerEnded = nameof(SlowConsumerEnded);

    /// <summary>Entry {0} is {1}; only REGISTERED or RECOGNIZED entries can be replicated.</summary>
    public const string SourceNotRegisteredEntry = nameof(SourceNotRegisteredEntry);

    /// <summary>replicatedFromEntryId is only for REPLICATED entries.</summary>
    public const string SourceOnlyForReplicated = nameof(SourceOnlyForReplicated);

    /// <summary>Use GET or POST for GraphQL over SSE.</summary>
    public const string SseMethod = nameof(SseMethod);

    /// <summary>The bearer token of a GraphQL over SSE request is invalid or expired.</summary>
    public const string SseTokenInvalid = nameof(SseTokenInvalid);

    /// <summary>A JSON string is not valid Unicode (invalid UTF-8 or a lone surrogate escape).</summary>
    public const string StringNotUnicode = nameof(StringNotUnicode);

    /// <summary>A subscribe message came before connection_ack.</summary>
    public const string SubscribeBeforeAck = nameof(SubscribeBeforeAck);

    /// <summary>Successor {0} ended on {1:yyyy-MM-dd}, before the succession.</summary>
    public const string SuccessorEndedBeforeSuccession = nameof(SuccessorEndedBeforeSuccession);

    /// <summary>Summary is limited to 20,000 characters.</summary>
    public const string SummaryLimited20000Characters = nameof(SummaryLimited20000Characters);

    /// <summary>A summary is required before submitting.</summary>
    public const string SummaryRequiredBeforeSubmitting = nameof(SummaryRequiredBeforeSubmitting);

    /// <summary>'{0}' is limited to {1:N0} characters.</summary>
    public const string TextTooLong = nameof(TextTooLong);

    /// <summary>The round changed meanwhile. Reload it and retry.</summary>
    public const string TheRoundChangedMeanwhile = nameof(TheRoundChangedMeanwhile);

    /// <summary>The tie-break keys must be distinct and at least one.</summary>
    public const string TieBreakKeysDistinctAt = nameof(TieBreakKeysDistinctAt);

    /// <summary>Title must be 5–500 characters.</summary>
    public const string Title5500Characters = nameof(Title5500Characters);

    /// <summary>The bearer token expired while a live connection was open.</summary>
    public const string TokenExpiredWhileLive = nameof(TokenExpiredWhileLive);

    /// <summary>The bearer token is invalid or expired.</summary>
    public const string TokenInvalid = nameof(TokenInvalid);

    /// <summary>The operation selects {0:N0} fields once fragments are expanded; at most {1:N0} are allowed.</summary>
    public const string TooManyFields = nameof(TooManyFields);

    /// <summary>You have too many live connections open at once.</summary>
    public const string TooManyLiveConnections = nameof(TooManyLiveConnections);

    /// <summary>Too many events were missed to replay; reload the data and subscribe again.</summary>
    public const string TooManyMissedEvents = nameof(TooManyMissedEvents);

    /// <summary>Too many mutations; try again later.</summary>
    public const string TooManyMutations = nameof(TooManyMutations);

    /// <summary>The operation selects {0:N0} root fields; at most {1:N0} are allowed.</summary>
    public const string TooManyRootFields = nameof(TooManyRootFields);

    /// <summary>A request document may hold only operations and fragments, not type system definitions.</summary>
    public const string TypeSystemInRequest = nameof(TypeSystemInRequest);

    /// <summary>Unit {0} already ended on {1:yyyy-MM-dd}.</summary>
    public const string UnitAlreadyEnded = nameof(UnitAlreadyEnded);

    /// <summary>This unit already has an active replication of this entry.</summary>
    public const string UnitAlreadyHasActiveReplication = nameof(UnitAlreadyHasActiveReplication);

    /// <summary>Unit {0} is at version {1}; you sent {2}. Reload it and retry.</summary>
    public const string UnitAtVersionYouSent = nameof(UnitAtVersionYouSent);

    /// <summary>Unit {0} began on {1:yyyy-MM-dd}; it cannot end on or before that.</summary>
    public const string UnitBeganCannotEndBefore = nameof(UnitBeganCannotEndBefore);

    /// <summary>A unit cannot be placed under itself or its own descendant.</summary>
    public const string UnitCannotPlacedUnderItself = nameof(UnitCannotPlacedUnderItself);

    /// <summary>A unit cannot succeed itself.</summary>
    public const string UnitCannotSucceedItself = nameof(UnitCannotSucceedItself);

    /// <summary>Unit code must be 2–40 characters of A–Z, 0–9, '.', '_' or '-'.</summary>
    public const string UnitCodeShape = nameof(UnitCodeShape);

    /// <summary>Unit code {0} is already taken.</summary>
    public const string UnitCodeTaken = nameof(UnitCodeTaken);

    /// <summary>No unit has the code '{0}'.</summary>
    public const string UnitCodeUnknown = nameof(UnitCodeUnknown);

    /// <summary>Unit name must be 2–300 characters.</summary>
    public const string UnitName2300Characters = nameof(UnitName2300Characters);

    /// <summary>{0} does not exist today; register under its successor.</summary>
    public const string UnitNotActiveToday = nameof(UnitNotActiveToday);

    /// <summary>Unit '{0}' was not found.</summary>
    public const string UnitNotFound = nameof(UnitNotFound);

    /// <summary>Unit {0} or one of its descendants changed meanwhile. Reload and retry.</summary>
    public const string UnitOneDescendantsChangedMeanwhile = nameof(UnitOneDescendantsChangedMeanwhile);

    /// <summary>Unknown filter operator '{0}'.</summary>
    public const string UnknownFilterOperator = nameof(UnknownFilterOperator);

    /// <summary>No trusted document has id sha256:{0}; send a document from schema/operations/manifest.json.</summary>
    public const string UnknownTrustedDocument = nameof(UnknownTrustedDocument);

    /// <summary>The bearer token of a WebSocket upgrade is invalid or expired.</summary>
    public const string UpgradeTokenInvalid = nameof(UpgradeTokenInvalid);

    /// <summary>Use recuse to stand aside from a nomination.</summary>
    public const string UseRecuseInstead = nameof(UseRecuseInstead);

    /// <summary>Only UTF-8 request bodies are supported.</summary>
    public const string Utf8BodiesOnly = nameof(Utf8BodiesOnly);

    /// <summary>validTo must be after validFrom.</summary>
    public const string ValidToAfterValidFrom = nameof(ValidToAfterValidFrom);

    /// <summary>'variables' and 'extensions' must be JSON objects.</summary>
    public const string VariablesExtensionsObjects = nameof(VariablesExtensionsObjects);

    /// <summary>Voting must close after nominations close.</summary>
    public const string VotingCloseAfterNominationsClose = nameof(VotingCloseAfterNominationsClose);

    /// <summary>Voting closed at {0:yyyy-MM-dd HH:mm} UTC.</summary>
    public const string VotingClosedAtUTC = nameof(VotingClosedAtUTC);

    /// <summary>The voting deadline has passed; move votingClosesAt first.</summary>
    public const string VotingDeadlineHasPassedMove = nameof(VotingDeadlineHasPassedMove);

    /// <summary>Voting has opened: {0} is frozen (only the name and votingClosesAt may change).</summary>
    public const string VotingHasOpenedFrozenName = nameof(VotingHasOpenedFrozenName);

    /// <summary>Round '{0}' is {1}; voting opens from NOMINATING.</summary>
    public const string VotingOpensFromNominating = nameof(VotingOpensFromNominating);

    /// <summary>WebSocket connections must use the {0} subprotocol.</summary>
    public const string WebSocketSubprotocol = nameof(WebSocketSubprotocol);

    /// <summary>'where.councilId' is not a Council id.</summary>
    public const string WhereCouncilIdNotACouncil = nameof(WhereCouncilIdNotACouncil);

    /// <summary>'where.from' is after 'where.to'.</summary>
    public const string WhereFromAfterWhere = nameof(WhereFromAfterWhere);

    /// <summary>'where.targetId' is not a global id.</summary>
    public const string WhereTargetIdNotAnId = nameof(WhereTargetIdNotAnId);

    /// <summary>'{0}' nests and/or more than {1} levels deep.</summary>
    public const string WhereTooDeep = nameof(WhereTooDeep);

    /// <summary>'where' has more than {0} conditions.</summary>
    public const string WhereTooManyConditions = nameof(WhereTooManyConditions);

    /// <summary>'where.unitId' is not a Unit id.</summary>
    public const string WhereUnitIdNotAUnit = nameof(WhereUnitIdNotAUnit);

    /// <summary>Year must be between 2000 and 2100.</summary>
    public const string YearBetween20002100 = nameof(YearBetween20002100);

    /// <summary>'{0}' must be a year between 1 and 9999.</summary>
    public const string YearOutOfRangeAt = nameof(YearOutOfRangeAt);

    /// <summary>You may not change entry {0}.</summary>
    public const string YouMayChangeEntry = nameof(YouMayChangeEntry);

    /// <summary>You may not change replications of this unit.</summary>
    public const string YouMayChangeReplicationsUnit = nameof(YouMayChangeReplicationsUnit);

    /// <summary>You may not create councils for {0}.</summary>
    public const string YouMayCreateCouncils = nameof(YouMayCreateCouncils);

    /// <summary>You may not create rounds for {0}.</summary>
    public const string YouMayCreateRounds = nameof(YouMayCreateRounds);

    /// <summary>You may not hand the round to {0}.</summary>
    public const string YouMayHandRound = nameof(YouMayHandRound);

    /// <summary>You may not manage {0}.</summary>
    public const string YouMayManage = nameof(YouMayManage);

    /// <summary>You may not record replications for {0}.</summary>
    public const string YouMayRecordReplications = nameof(YouMayRecordReplications);

    /// <summary>You may not register entries for {0}.</summary>
    public const string YouMayRegisterEntries = nameof(YouMayRegisterEntries);
}
