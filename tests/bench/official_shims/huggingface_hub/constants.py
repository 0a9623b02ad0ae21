"""Stand-in for huggingface_hub.constants (paths only; nothing is downloaded)."""
import os

HF_HOME = os.path.join(os.path.expanduser("~"), ".cache", "huggingface")
HF_HUB_CACHE = os.path.join(HF_HOME, "hub")
HF_HUB_DISABLE_TELEMETRY = True
HF_HUB_OFFLINE = True
