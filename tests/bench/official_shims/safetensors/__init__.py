"""Stand-in for safetensors (not in Debian 12). Imported by diffusers and GenStereo's unet_3d.py;
the timing script loads no weight file, so every function raises if called."""


def safe_open(*args, **kwargs):
    raise RuntimeError("safetensors stand-in: the timing script reads no .safetensors file")
