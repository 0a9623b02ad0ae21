"""Stand-in for huggingface_hub.utils: the exception types and helpers diffusers imports."""


class EntryNotFoundError(Exception):
    pass


class RepositoryNotFoundError(Exception):
    pass


class RevisionNotFoundError(Exception):
    pass


class OfflineModeIsEnabled(Exception):
    pass


def validate_hf_hub_args(function):
    return function


def is_jinja_available():
    return False
