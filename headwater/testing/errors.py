"""Error codes of the testing app (the API's `error.code`)."""

from headwater.core.errors import ErrorCode


class TestingError(ErrorCode):
    CAMPAIGN_CLOSED = "campaign_closed"
    OUTSIDE_DATES = "campaign_outside_dates"
    NOT_ON_ROSTER = "not_on_roster"
    ALREADY_ON_ROSTER = "already_on_roster"
    ALREADY_SAMPLED = "already_sampled"
    UNKNOWN_PERSON = "unknown_person"
    UNKNOWN_TUBE = "unknown_tube"
    TUBE_FULL = "tube_full"
    TUBE_CLOSED = "tube_closed"
    TUBE_OTHER_CAMPAIGN = "tube_other_campaign"
    NO_OPEN_TUBE = "no_open_tube"
    RESULT_ALREADY = "result_already_recorded"
    NOT_AN_OPERATOR = "not_an_operator"
    UNKNOWN_TICKET = "unknown_ticket"
    NOTHING_TO_CALL = "nothing_to_call"
