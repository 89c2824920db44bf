"""Error codes of the access app (the API's `error.code`)."""

from headwater.core.errors import ErrorCode


class AccessError(ErrorCode):
    TOKEN_INVALID = "pass_invalid"  # not a pass, not signed by this organization's keys
    TOKEN_EXPIRED = "pass_expired"
    TOKEN_REPLAYED = "pass_replayed"
    CARD_REVOKED = "card_revoked"
    DEVICE_REVOKED = "device_revoked"
    WRONG_GATE = "wrong_gate"  # a device or a guard scanning for a gate that is not theirs
    HOST_REQUIRED = "visit_host_required"
    VISIT_STATE = "visit_wrong_state"
    SLOT_FULL = "slot_full"
    NO_KEY = "no_signing_key"
