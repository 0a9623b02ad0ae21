"""Stand-in for huggingface_hub (not in Debian 12): the names diffusers v0.31.0 imports.

The timing script builds every model from a config with random weights, so nothing here is
ever called; each function raises if it is.
"""
__version__ = "0.0.0-genstereo-shim"


def _no_hub(*args, **kwargs):
    raise RuntimeError("huggingface_hub stand-in: the timing script does not access the hub")


create_repo = hf_hub_download = model_info = snapshot_download = _no_hub
split_torch_state_dict_into_shards = upload_folder = _no_hub


class ModelCard:
    def __init__(self, *args, **kwargs):
        _no_hub()


class ModelCardData(ModelCard):
    pass
