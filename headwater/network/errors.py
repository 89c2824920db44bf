"""Error codes of the network app (the API's `error.code`)."""

from headwater.core.errors import ErrorCode


class NetworkError(ErrorCode):
    BAD_MODEL_FILE = "network_bad_model_file"  # the .inp parser refused the file
    NO_MODEL = "network_no_model"  # the organization has no network model yet
    UNKNOWN_LINK = "network_unknown_link"
    UNKNOWN_NODE = "network_unknown_node"
    NOT_A_PIPE = "network_not_a_pipe"
    BAD_VALVE_LAYER = "network_bad_valve_layer"
    HYDRAULICS_FAILED = "network_hydraulics_failed"
    DEVICE_NOT_ENROLLED = "network_device_not_enrolled"
    WORK_ORDER_STATE = "network_work_order_wrong_state"
