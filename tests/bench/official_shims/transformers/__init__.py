"""Stand-in for transformers (not in Debian 12). GenStereo.py imports the two CLIP classes at
module level; the U-Net timing never builds them, so constructing one raises."""


class _NotAvailable:
    def __init__(self, *args, **kwargs):
        raise RuntimeError(f"transformers stand-in: {type(self).__name__} is not available here")

    @classmethod
    def from_pretrained(cls, *args, **kwargs):
        return cls()


class CLIPVisionModelWithProjection(_NotAvailable):
    pass


class CLIPImageProcessor(_NotAvailable):
    pass
