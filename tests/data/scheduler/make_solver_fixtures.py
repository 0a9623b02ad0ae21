#!/usr/bin/python3
"""Writes the multistep-solver fixtures of tests/nn/solver_scheduler_test.cpp from diffusers 0.31.

Usage (diffusers and huggingface_hub are imported from PYTHONPATH, never copied here):
  git --git-dir=<diffusers mirror> archive v0.31.0 src | tar x -C /tmp/diffusers
  git --git-dir=<huggingface_hub mirror> archive v0.26.2 src | tar x -C /tmp/hfhub
  PYTHONPATH=/tmp/diffusers/src:/tmp/hfhub/src /usr/bin/python3 \
      tests/data/scheduler/make_solver_fixtures.py tests/data/scheduler
Needs Debian's python3-torch python3-numpy python3-packaging python3-filelock python3-requests
python3-yaml python3-regex python3-pil (diffusers' own imports).

Each solver is built the way a diffusers user switches a pipeline's scheduler:
`Solver.from_config(DDIMScheduler(**ddim_kwargs).config, **overrides)`, so the DDIM config's
beta schedule, zero-SNR rescaling, timestep spacing, steps_offset and prediction type carry over
and every other option keeps the solver's default (DPM-Solver++ 2M: algorithm_type dpmsolver++,
solver_order 2, midpoint, lower_order_final, final_sigmas_type zero).

Note that from_config drops the entries the DDIM config only holds as defaults
(`_use_default_values`), so those take the solver's default, not DDIM's: SD 1.5's DDIM config
has "leading" spacing by default, yet its DPM-Solver/Euler conversion uses "linspace".

Three model configurations:
  v   GenStereo's (core/nn/ddim_scheduler.h; both released checkpoints use it): scaled_linear
      0.00085..0.012, steps_offset 1, rescale_betas_zero_snr, trailing spacing, v_prediction.
  eps Stable Diffusion 1.5's DDIM config (epsilon, leading spacing, steps_offset 1,
      set_alpha_to_one False, no zero-SNR rescaling), to cover epsilon models; converted, it
      runs with the solvers' default "linspace" spacing.
  eps_leading  the same with timestep_spacing="leading" given explicitly (so it carries over).

Stepping: `set_begin_index(0)` before the loop, so diffusers walks its sigmas by position. Without
it diffusers looks the first timestep up by value and, when that value is repeated (Karras sigmas
under zero-SNR give 999, 999, 998, ... for 25 steps), starts at the second copy and fails on the
last step; the C++ solvers always step by position.

Per file (one per solver and configuration), for each step count N in 5, 10, 20, 25:
  sN_timesteps, sN_sigmas            the schedule after set_timesteps(N)
  sN_initial_noise                   N(0, 1), [1, 4, 4, 4]
  sN_model_output_K                  the fixed "model output" fed at step K (N(0, 1))
  sN_model_input_K                   scale_model_input(sample, t) at step K
  sN_prev_sample_K                   step(...).prev_sample at step K
The loop starts from initial_noise * init_noise_sigma, as diffusers' pipelines do.
solver_params.json records each config after init and init_noise_sigma per case.
"""
import json
import struct
import sys

import numpy as np
import torch
from diffusers import DDIMScheduler, DPMSolverMultistepScheduler, EulerDiscreteScheduler

STEPS = (5, 10, 20, 25)
SHAPE = (1, 4, 4, 4)

DDIM_CONFIGS = {
    "v": dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
              steps_offset=1, clip_sample=False, rescale_betas_zero_snr=True, timestep_spacing="trailing",
              prediction_type="v_prediction"),
    "eps": dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                steps_offset=1, clip_sample=False, set_alpha_to_one=False, prediction_type="epsilon"),
    "eps_leading": dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                        steps_offset=1, clip_sample=False, set_alpha_to_one=False, prediction_type="epsilon",
                        timestep_spacing="leading"),
}

SOLVERS = {
    "dpmpp2m": (DPMSolverMultistepScheduler, {}),
    "dpmpp2m_karras": (DPMSolverMultistepScheduler, {"use_karras_sigmas": True}),
    "euler": (EulerDiscreteScheduler, {}),
}

DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def write_safetensors(path, tensors):
    """Minimal safetensors writer (8-byte LE header length, JSON header, raw LE data)."""
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def run_case(scheduler, steps, seed):
    gen = torch.Generator().manual_seed(seed)
    out = {}
    scheduler.set_timesteps(steps)
    scheduler.set_begin_index(0)
    out[f"s{steps}_timesteps"] = scheduler.timesteps.clone()
    out[f"s{steps}_sigmas"] = scheduler.sigmas.clone().to(torch.float32)
    noise = torch.randn(SHAPE, generator=gen)
    out[f"s{steps}_initial_noise"] = noise
    sample = noise * scheduler.init_noise_sigma
    for k, t in enumerate(scheduler.timesteps):
        model_output = torch.randn(SHAPE, generator=gen)
        model_input = scheduler.scale_model_input(sample, t)
        sample = scheduler.step(model_output, t, sample).prev_sample
        out[f"s{steps}_model_output_{k}"] = model_output
        out[f"s{steps}_model_input_{k}"] = model_input.clone()
        out[f"s{steps}_prev_sample_{k}"] = sample.clone()
    return out, float(scheduler.init_noise_sigma)


def main(out_dir):
    torch.set_num_threads(1)
    params = {"diffusers": __import__("diffusers").__version__, "torch": torch.__version__,
              "numpy": np.__version__, "cases": {}}
    for config_name, ddim_kwargs in DDIM_CONFIGS.items():
        ddim = DDIMScheduler(**ddim_kwargs)
        for solver_name, (cls, overrides) in SOLVERS.items():
            scheduler = cls.from_config(ddim.config, **overrides)
            tensors, init_sigmas = {}, {}
            for i, steps in enumerate(STEPS):
                case, init_sigmas[steps] = run_case(scheduler, steps, seed=1000 * i + 7)
                tensors.update(case)
            stem = f"{solver_name}_{config_name}"
            write_safetensors(f"{out_dir}/{stem}.safetensors", tensors)
            config = {k: v for k, v in scheduler.config.items() if not k.startswith("_")}
            config["lambda_min_clipped"] = str(config.get("lambda_min_clipped"))
            params["cases"][stem] = {"class": cls.__name__, "overrides": overrides, "ddim_kwargs": ddim_kwargs,
                                     "config_after_init": config, "init_noise_sigma": init_sigmas,
                                     "timesteps": {s: tensors[f"s{s}_timesteps"].tolist() for s in STEPS}}
    with open(f"{out_dir}/solver_params.json", "w") as f:
        json.dump(params, f, indent=1, default=str)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
