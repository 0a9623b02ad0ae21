"""Stand-in for jaxtyping (not in Debian 12): GenStereo.py uses `Float[Tensor, "B C H W"]` as
annotations only, so the subscript returns the array type unchanged."""


class _Annotation:
    def __getitem__(self, item):
        return item[0] if isinstance(item, tuple) else item


Float = Int = Bool = Shaped = _Annotation()
