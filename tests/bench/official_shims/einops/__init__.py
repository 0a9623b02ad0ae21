"""Stand-in for einops (not in Debian 12): `rearrange` and `repeat` for torch tensors.

GenStereo's U-Nets call them on the forward path ("b c f h w -> (b f) c h w",
"(b f) c h w -> b c f h w", "b n c -> (b f) n c", "b t l c -> (b t) l c", ...), so these do the
same tensor operations as einops 0.8's torch backend, in the same order: reshape to split the
input groups, permute, unsqueeze + expand for the axes that `repeat` adds, reshape to merge the
output groups. `reshape` returns a view where it can and copies where it must, as in einops.
Supported: named axes and parenthesised groups; not "...", anonymous axes or reductions.
"""
import math

__version__ = "0.0.0-genstereo-shim"


def _parse(side):
    """'(b f) c h w' -> [['b', 'f'], ['c'], ['h'], ['w']]."""
    groups, current = [], None
    for token in side.replace("(", " ( ").replace(")", " ) ").split():
        if token == "(":
            current = []
        elif token == ")":
            groups.append(current)
            current = None
        elif token == "..." or not token.isidentifier():
            raise ValueError(f"einops stand-in: unsupported axis '{token}' in '{side}'")
        elif current is not None:
            current.append(token)
        else:
            groups.append([token])
    return groups


def _apply(tensor, pattern, sizes, allow_new_axes):
    left_text, right_text = pattern.split("->")
    left, right = _parse(left_text), _parse(right_text)
    if len(left) != tensor.dim():
        raise ValueError(f"einops stand-in: '{pattern}' expects {len(left)} dims, found {tensor.dim()}")
    lengths = dict(sizes)
    for group, dim_length in zip(left, tensor.shape):
        unknown = [axis for axis in group if axis not in lengths]
        known = math.prod(lengths[axis] for axis in group if axis in lengths)
        if len(unknown) > 1:
            raise ValueError(f"einops stand-in: cannot infer {unknown} in '{pattern}'")
        if unknown:
            lengths[unknown[0]] = dim_length // known
    left_axes = [axis for group in left for axis in group]
    right_axes = [axis for group in right for axis in group]
    new_axes = [axis for axis in right_axes if axis not in left_axes]
    if new_axes and not allow_new_axes:
        raise ValueError(f"einops stand-in: rearrange cannot add axes {new_axes}")
    kept = [axis for axis in right_axes if axis in left_axes]
    tensor = tensor.reshape([lengths[axis] for axis in left_axes])
    order = [left_axes.index(axis) for axis in kept]
    if order != list(range(len(order))):
        tensor = tensor.permute(order)
    if new_axes:
        repeats = [-1] * len(right_axes)
        for position, axis in enumerate(right_axes):
            if axis in new_axes:
                tensor = tensor.unsqueeze(position)
                repeats[position] = lengths[axis]
        tensor = tensor.expand(repeats)
    return tensor.reshape([math.prod(lengths[axis] for axis in group) for group in right])


def rearrange(tensor, pattern, **sizes):
    return _apply(tensor, pattern, sizes, allow_new_axes=False)


def repeat(tensor, pattern, **sizes):
    return _apply(tensor, pattern, sizes, allow_new_axes=True)
