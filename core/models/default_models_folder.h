// The models folder used when none is given (--models, the GUI's setting): $GENSTEREO_MODELS,
// else $XDG_DATA_HOME/genstereo/models, else ~/.local/share/genstereo/models. The one rule that
// the CLI (every command), `models download/list/where/verify` and the GUI share.
#pragma once

#include <filesystem>

namespace genstereo {

// The folder by the rule above (it may not exist). Relative $XDG_DATA_HOME values are ignored,
// as the XDG Base Directory specification asks.
std::filesystem::path defaultModelsFolder();

}  // namespace genstereo
