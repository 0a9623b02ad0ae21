"""Stand-in for huggingface_hub.file_download: the one constant diffusers imports."""
import re

REGEX_COMMIT_HASH = re.compile(r"^[0-9a-f]{40}$")
