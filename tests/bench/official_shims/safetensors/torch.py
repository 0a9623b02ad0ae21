"""Stand-in for safetensors.torch (see ../safetensors/__init__.py)."""
from . import safe_open as load_file
from . import safe_open as save_file
from . import safe_open as load
