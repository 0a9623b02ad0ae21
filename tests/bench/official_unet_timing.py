#!/usr/bin/python3
"""Times the official GenStereo U-Net forwards on this machine, beside
`build/tests/genstereo_diffusion_bench unet sd21|sd15 [runs]` (tests/nn/diffusion_bench.cpp).

Usage:
  /usr/bin/python3 tests/bench/official_unet_timing.py GENSTEREO_CHECKOUT DIFFUSERS_SRC
      [--size 768|512] [--tiny] [--threads N] [--warmup N] [--runs N]
      [--stages all|denoising|vae] [--flops] [--autocast-bf16]

GENSTEREO_CHECKOUT: a checkout of github.com/Qjizhi/GenStereo (commit e437c28 was used for
../shared/fixtures); DIFFUSERS_SRC: the `src` folder of a diffusers v0.31.0 checkout (the
version GenStereo's requirements.txt pins). Neither is part of this repository. Needs Debian's
python3-torch, python3-torchvision, python3-omegaconf, python3-filelock, python3-requests and
python3-tqdm; the packages Debian lacks come from the stand-ins in official_shims/ (see there).

What runs is what the official `GenStereo.perform_nvs` runs for one image:
  * both U-Nets are built the way `GenStereo.load_models` builds them, from a config.json
    written to a temporary folder: the reference `UNet2DConditionModel.from_config(load_config)`,
    the denoising `UNet3DConditionModel.from_pretrained_2d(config, ckpt)` with an empty
    checkpoint (random init; the official code loads with strict=False too). float32,
    requires_grad_(False), torch.no_grad().
  * hooks from `GenStereo.get_reference_controls(1)` (reader on the denoising U-Net, writer on
    the reference U-Net; CFG, fusion_blocks='full', 'attention_full_sharing').
  * reference forward: latents repeated to batch 2, t = zeros(2), image prompt [2, 1, dim]
    (zeros first, as `get_image_prompt`), pose features [2, C, h, w] (`get_pose_features` cat,
    frame 0). The writer banks are cleared before each run (a fresh control per call in the
    official code). Then `reader.update(writer, correspondence)` (banks rounded to fp16).
  * the reference U-Net is freed (the official code keeps it: see "Differences" below).
  * denoising forward: latent [2, 4, 1, h, w], t = 999 (int64, the first DDIM timestep),
    image prompt [2, 1, dim], pose features [2, C, 1, h, w]; reader hooks (self-attention over
    [x, bank], then the unconditional half recomputed with self-only keys).
--flops: one more denoising forward, untimed, under torch.profiler with_flops: the floating point
operations of the step by operator (2 per multiply-add; matrix products and convolutions), to
judge a time against what the machine can do (e.g. its sgemm rate).
--stages vae times the official decode instead (`GenStereo.decode_latents` for one frame:
diffusers' AutoencoderKL with the sd-vae-ft-mse config, random init, float32, of a latent
[1, 4, S/8, S/8] divided by 0.18215), beside `genstereo_diffusion_bench vae 768|512`.
Sizes: --size 768 = GenStereo v2.1 (SD 2.1 unet config, latent 96x96, context dim 1024);
--size 512 = v1.5 (SD 1.5 config, latent 64x64, dim 768); --tiny = the fixtures' e2e_tiny
architecture (blocks [32, 32, 64, 64], 1 layer, heads [2, 2, 4, 4], dim 272, latent 8x8),
a check of the script in seconds, not a measurement.

Differences from the official code path (all printed as '#' lines too):
  * torch 1.13 baddbmm NaN workaround: diffusers' `Attention.get_attention_scores` passes an
    uninitialised `torch.empty` with beta=0, which torch 1.13 CPU turns into NaN for small shapes.
    For key sequences of at most 77 tokens (the 1-token cross-attention) an explicit zero mask is
    passed instead (beta=1, +0). The large self/reference attentions keep the official path.
  * the reference U-Net is freed before the denoising stage, so the denoising peak RSS is that
    stage's own; the official code keeps both U-Nets (about 3.5 GB more at 768).
  * the VAE, CLIP, pose guider and scheduler are not run: inputs are random tensors of the
    shapes they produce.

--autocast-bf16: the forwards run under torch.autocast("cpu", dtype=torch.bfloat16), the way a
user of the official code gets bfloat16 on a CPU (the models stay float32; the names get a
`_autocast_bf16` suffix), beside `genstereo_diffusion_bench dtype sd21`. torch 1.13's CPU
group_norm and layer_norm refuse a bfloat16 input with float32 weights and autocast has no rule
for them, so a shim casts their weight and bias to the input's dtype (printed as a '#' line).

Output: one line per value, `name value unit` (as genstereo_diffusion_bench), '#' lines for the
machine and settings. Peak RSS per stage is VmHWM of /proc/self/status, reset through
/proc/self/clear_refs between stages; `process_peak_rss` is getrusage's ru_maxrss.
"""
import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import weakref

SD21_UNET_CONFIG = {
    "act_fn": "silu", "attention_head_dim": [5, 10, 20, 20],
    "block_out_channels": [320, 640, 1280, 1280], "center_input_sample": False,
    "cross_attention_dim": 1024,
    "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
                         "DownBlock2D"],
    "downsample_padding": 1, "dual_cross_attention": False, "flip_sin_to_cos": True,
    "freq_shift": 0, "in_channels": 4, "layers_per_block": 2, "mid_block_scale_factor": 1,
    "norm_eps": 1e-05, "norm_num_groups": 32, "num_class_embeds": None,
    "only_cross_attention": False, "out_channels": 4, "sample_size": 96,
    "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D",
                       "CrossAttnUpBlock2D"],
    "use_linear_projection": True, "upcast_attention": True,
    "_class_name": "UNet2DConditionModel",
}
SD15_UNET_CONFIG = dict(SD21_UNET_CONFIG, attention_head_dim=8, cross_attention_dim=768,
                        sample_size=64, use_linear_projection=False, upcast_attention=False)
TINY_UNET_CONFIG = dict(SD21_UNET_CONFIG, attention_head_dim=[2, 2, 4, 4],
                        block_out_channels=[32, 32, 64, 64], cross_attention_dim=272,
                        layers_per_block=1, sample_size=8)
# Key length up to which the zero-mask workaround replaces torch.empty (CLIP context is 77 max).
SHORT_KEY_TOKENS = 77


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("genstereo", help="GenStereo checkout (folder holding genstereo/)")
    parser.add_argument("diffusers_src", help="diffusers v0.31.0 src folder (holding diffusers/)")
    parser.add_argument("--size", type=int, choices=[768, 512], default=768,
                        help="768: GenStereo v2.1 (SD 2.1 U-Net), 512: v1.5 (default 768)")
    parser.add_argument("--tiny", action="store_true",
                        help="the fixtures' e2e_tiny U-Net at latent 8x8 (checks the script)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs per forward (default 1)")
    parser.add_argument("--runs", type=int, default=2, help="timed runs per forward (default 2)")
    parser.add_argument("--stages", choices=["all", "denoising", "vae"], default="all",
                        help="denoising: the reference forward runs once, untimed, to fill the "
                             "banks; only the denoising forward is timed; vae: only the VAE "
                             "decode (default all)")
    parser.add_argument("--autocast-bf16", action="store_true",
                        help='run under torch.autocast("cpu", dtype=torch.bfloat16)')
    parser.add_argument("--flops", action="store_true",
                        help="count the denoising forward's FLOPs (one more, untimed, profiled run)")
    return parser.parse_args()


def status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def reset_peak_rss():
    """Resets VmHWM to the current RSS (Linux >= 4.0); False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def report(name, value, unit):
    print(f"{name} {value:.3f} {unit}", flush=True)


def report_gib(name, kb):
    report(name, kb / 1048576.0, "GiB")


def info(text):
    print(f"# {text}", flush=True)


def time_forward(name, warmup, runs, body):
    """`warmup` untimed-but-reported runs, then `runs` timed runs and their median."""
    for i in range(warmup):
        start = time.perf_counter()
        body()
        report(f"{name}_warmup{i + 1}" if warmup > 1 else f"{name}_warmup",
               time.perf_counter() - start, "s")
    times = []
    for i in range(runs):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
        report(f"{name}_run{i + 1}", times[-1], "s")
    if times:
        report(f"{name}_median", statistics.median(times), "s")


def machine_info(torch):
    model = "unknown"
    flags = set()
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    info(f"cpu {model}; {os.cpu_count()} logical CPUs; load average "
         f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    wanted = ["avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "amx_tile"]
    info("cpu flags " + " ".join(f for f in wanted if f in flags))
    capability = [line.strip(" -") for line in torch.__config__.show().splitlines()
                  if "CPU capability" in line]
    info(f"python {platform.python_version()}; torch {torch.__version__}; "
         f"{capability[0] if capability else 'CPU capability unknown'}")
    blas = sorted({line.split()[-1] for line in open("/proc/self/maps")
                   if "blas" in line.split()[-1] or "dnnl" in line.split()[-1]})
    info("loaded " + " ".join(os.path.realpath(path) for path in blas))
    info(f"threads intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}")


def import_official(genstereo, diffusers_src):
    shims = os.path.join(os.path.dirname(os.path.abspath(__file__)), "official_shims")
    for path in (genstereo, diffusers_src):
        if not os.path.isdir(path):
            sys.exit(f"error: {path}: expected a folder, found none")
    sys.path[:0] = [shims, os.path.abspath(diffusers_src), os.path.abspath(genstereo)]
    import diffusers
    from diffusers.models.attention_processor import Attention
    from genstereo import GenStereo
    from genstereo.models import UNet2DConditionModel, UNet3DConditionModel
    if not diffusers.__file__.startswith(os.path.abspath(diffusers_src)):
        sys.exit(f"error: diffusers imported from {diffusers.__file__}, expected {diffusers_src}")
    info(f"diffusers {diffusers.__version__} from {os.path.dirname(diffusers.__file__)}")
    info(f"GenStereo from {os.path.dirname(sys.modules['genstereo'].__file__)}")
    return GenStereo, UNet2DConditionModel, UNet3DConditionModel, Attention


def patch_short_key_baddbmm(torch, attention_class):
    """The torch 1.13 baddbmm NaN workaround described in the module docstring."""
    official = attention_class.get_attention_scores

    def get_attention_scores(self, query, key, attention_mask=None):
        if attention_mask is None and key.shape[1] <= SHORT_KEY_TOKENS:
            attention_mask = torch.zeros(query.shape[0], query.shape[1], key.shape[1],
                                         dtype=torch.float32 if self.upcast_attention else query.dtype,
                                         device=query.device)
        return official(self, query, key, attention_mask)

    attention_class.get_attention_scores = get_attention_scores


def patch_norms_for_autocast(torch):
    """GroupNorm / LayerNorm weights cast to the input's dtype (torch 1.13 CPU autocast)."""
    functional = torch.nn.functional
    group_norm, layer_norm = functional.group_norm, functional.layer_norm

    def cast(tensor, dtype):
        return tensor.to(dtype) if tensor is not None and tensor.dtype != dtype else tensor

    def group_norm_shim(input, num_groups, weight=None, bias=None, eps=1e-5):
        return group_norm(input, num_groups, cast(weight, input.dtype), cast(bias, input.dtype), eps)

    def layer_norm_shim(input, normalized_shape, weight=None, bias=None, eps=1e-5):
        return layer_norm(input, normalized_shape, cast(weight, input.dtype),
                          cast(bias, input.dtype), eps)

    functional.group_norm, functional.layer_norm = group_norm_shim, layer_norm_shim


def bank_blocks_and_mib(control):
    """How many hooked blocks hold a bank, and the banks' size (bank and bank_unnorm)."""
    blocks, total_bytes = 0, 0
    for module in control.unet.modules():
        tensors = getattr(module, "bank", []) + getattr(module, "bank_unnorm", [])
        blocks += 1 if tensors else 0
        total_bytes += sum(tensor.numel() * tensor.element_size() for tensor in tensors)
    return blocks, total_bytes / 1048576.0


# diffusers' AutoencoderKL config of stabilityai/sd-vae-ft-mse (GenStereo's `vae_path`).
SD_VAE_FT_MSE_CONFIG = {
    "act_fn": "silu", "block_out_channels": [128, 256, 512, 512],
    "down_block_types": ["DownEncoderBlock2D"] * 4, "in_channels": 3, "latent_channels": 4,
    "layers_per_block": 2, "norm_num_groups": 32, "out_channels": 3, "sample_size": 256,
    "up_block_types": ["UpDecoderBlock2D"] * 4,
}


def time_vae_decode(torch, args):
    from diffusers import AutoencoderKL
    latent_px = args.size // 8
    prefix = f"official_vae_decode_{args.size}"
    info(f"{prefix}: AutoencoderKL(sd-vae-ft-mse config), random init, latent [1, 4, {latent_px}, "
         f"{latent_px}], float32, warm-up {args.warmup}, runs {args.runs}")
    torch.manual_seed(0)
    vae = AutoencoderKL(**SD_VAE_FT_MSE_CONFIG).to("cpu", dtype=torch.float32)
    vae.requires_grad_(False)
    latents = torch.randn(1, 4, latent_px, latent_px)
    reset_peak_rss()
    with torch.no_grad():
        time_forward(prefix, args.warmup, args.runs,
                     lambda: vae.decode(1 / 0.18215 * latents).sample)
    report_gib(f"{prefix}_peak_rss", status_kb("VmHWM"))
    return 0


def main():
    args = parse_args()
    import torch
    torch.set_num_threads(args.threads)
    GenStereo, UNet2DConditionModel, UNet3DConditionModel, Attention = import_official(
        args.genstereo, args.diffusers_src)
    machine_info(torch)
    patch_short_key_baddbmm(torch, Attention)
    info(f"workaround: zero attention mask instead of torch.empty for keys <= {SHORT_KEY_TOKENS} tokens")
    if args.stages == "vae":
        return time_vae_decode(torch, args)

    if args.tiny:
        config, variant, latent_px = TINY_UNET_CONFIG, "tiny", 8
    elif args.size == 768:
        config, variant, latent_px = SD21_UNET_CONFIG, "sd21", 96
    else:
        config, variant, latent_px = SD15_UNET_CONFIG, "sd15", 64
    prefix = f"official_unet_{variant}_{latent_px * 8}"
    if args.autocast_bf16:
        prefix += "_autocast_bf16"
        patch_norms_for_autocast(torch)
        info("autocast: torch.autocast('cpu', dtype=torch.bfloat16); shim: GroupNorm/LayerNorm "
             "weight and bias cast to the input's dtype")
    channels = config["block_out_channels"][0]
    context_dim = config["cross_attention_dim"]
    info(f"{prefix}: latent {latent_px}x{latent_px}, context [2, 1, {context_dim}], pose features "
         f"[2, {channels}, {latent_px}, {latent_px}], float32, warm-up {args.warmup}, runs {args.runs}")

    torch.manual_seed(0)
    autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if args.autocast_bf16
                else contextlib.nullcontext())
    with torch.no_grad(), autocast, tempfile.TemporaryDirectory(prefix="genstereo-official-") as folder:
        config_path = os.path.join(folder, "config.json")
        checkpoint_path = os.path.join(folder, "denoising_unet.pth")
        with open(config_path, "w") as out:
            json.dump(config, out)
        torch.save({}, checkpoint_path)

        start = time.perf_counter()
        reference_unet = UNet2DConditionModel.from_config(
            UNet2DConditionModel.load_config(config_path)).to("cpu", dtype=torch.float32)
        denoising_unet = UNet3DConditionModel.from_pretrained_2d(
            config_path, checkpoint_path).to("cpu", dtype=torch.float32)
        reference_unet.requires_grad_(False)
        denoising_unet.requires_grad_(False)
        report(f"{prefix}_construct_both", time.perf_counter() - start, "s")
        info("reference parameters {:.1f} M, denoising {:.1f} M".format(
            sum(p.numel() for p in reference_unet.parameters()) / 1e6,
            sum(p.numel() for p in denoising_unet.parameters()) / 1e6))
        info("attention processor " + type(next(
            m for m in denoising_unet.modules() if isinstance(m, Attention)).processor).__name__)
        report_gib(f"{prefix}_rss_after_construct", status_kb("VmRSS"))

        pipe = GenStereo.__new__(GenStereo)  # no load_models: the U-Nets above stand for it
        pipe.reference_unet, pipe.denoising_unet = reference_unet, denoising_unet
        pipe.device, pipe.dtype = "cpu", torch.float32
        reader, writer = pipe.get_reference_controls(1)

        ref_image_latents = torch.randn(1, 4, latent_px, latent_px)
        clip_embeds = torch.randn(1, 1, context_dim)
        image_prompt_embeds = torch.cat([torch.zeros_like(clip_embeds), clip_embeds], dim=0)
        pose_fea = torch.cat([torch.randn(1, channels, 1, latent_px, latent_px)] * 2)[:, :, 0, ...]
        pose_fea_2 = torch.cat([torch.randn(1, channels, 1, latent_px, latent_px)] * 2)
        correspondence = torch.rand(1, latent_px * 8, latent_px * 8) * 60
        latents_noisy = torch.randn(1, 4, 1, latent_px, latent_px)
        latent_model_input = torch.cat([latents_noisy] * 2)
        timestep = torch.tensor(999, dtype=torch.long)

        def reference_forward():
            writer.clear()
            pipe.reference_unet(
                ref_image_latents.repeat(2, 1, 1, 1),
                torch.zeros(2).to(ref_image_latents),
                encoder_hidden_states=image_prompt_embeds,
                pose_cond_fea=pose_fea,
                return_dict=False,
            )

        if args.stages == "all":
            time_forward(f"{prefix}_reference_forward_b2", args.warmup, args.runs, reference_forward)
        else:
            start = time.perf_counter()
            reference_forward()
            report(f"{prefix}_reference_forward_b2_once", time.perf_counter() - start, "s")
        start = time.perf_counter()
        reader.update(writer, correspondence=correspondence)
        report(f"{prefix}_reader_update", time.perf_counter() - start, "s")
        report_gib(f"{prefix}_reference_peak_rss", status_kb("VmHWM"))
        bank_blocks, bank_size_mib = bank_blocks_and_mib(reader)
        info(f"reader: {bank_blocks} transformer blocks hold a bank (fp16, bank and bank_unnorm)")
        report(f"{prefix}_banks", bank_size_mib, "MiB")

        writer.clear()
        reference_alive = weakref.ref(reference_unet)
        del writer, reference_unet, pipe.reference_unet
        gc.collect()  # the hooked forwards are bound methods: module <-> method cycles
        info("reference U-Net freed" if reference_alive() is None
             else "reference U-Net still referenced: the denoising peak includes it")
        report_gib(f"{prefix}_rss_after_reference_freed", status_kb("VmRSS"))
        has_stage_peak = reset_peak_rss()
        if not has_stage_peak:
            info("/proc/self/clear_refs not writable: the denoising peak below includes the reference stage")

        output = None

        def denoising_forward():
            nonlocal output
            output = pipe.denoising_unet(
                latent_model_input,
                timestep,
                encoder_hidden_states=image_prompt_embeds,
                pose_cond_fea=pose_fea_2,
                return_dict=False,
            )[0]

        time_forward(f"{prefix}_denoising_forward_cfg_b2", args.warmup, args.runs, denoising_forward)
        if output is not None:
            report(f"{prefix}_denoising_output_finite", float(torch.isfinite(output).all()), "bool")
        if args.flops:
            from torch.profiler import ProfilerActivity, profile
            with profile(activities=[ProfilerActivity.CPU], with_flops=True) as profiled:
                denoising_forward()
            by_op = {e.key: e.flops for e in profiled.key_averages() if e.flops}
            for key in sorted(by_op, key=by_op.get, reverse=True):
                report(f"{prefix}_denoising_gflop_{key.replace('aten::', '')}", by_op[key] / 1e9, "GFLOP")
            report(f"{prefix}_denoising_gflop_total", sum(by_op.values()) / 1e9, "GFLOP")
        report_gib(f"{prefix}_denoising_peak_rss", status_kb("VmHWM"))
        reader.clear()
    report_gib(f"{prefix}_process_peak_rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
