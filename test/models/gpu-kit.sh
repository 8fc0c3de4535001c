#!/usr/bin/env bash
# Prepares on this offline, CPU-only machine what the model benchmark needs on a lent GPU machine, which has no Node
# and none of our node_modules: a Node binary, the packages the benchmark imports, and onnxruntime 1.29's Linux build
# with its CUDA 13 provider libraries. The npm registry has CUDA providers only for onnxruntime 1.29 (in the Unity
# package com.github.asus4.onnxruntime.linux-x64-gpu 0.4.9), and a provider must match the core library's version
# exactly, so the GPU run uses onnxruntime-node 1.29.0 rather than the 1.30.0 the project pins; the API the engine
# uses is the same in both.
#
# Writes .gpu/ (git-ignored through .git/info/exclude) in pieces of 56 MiB, since one device call carries at most
# 64 MiB: node.xz, node_modules.tar.xz, cuda.tgz.part-aa … -ad The device commands are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
kit=.gpu
src=$kit/src
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
mkdir -p "$src"

if [ ! -f "$src/com.github.asus4.onnxruntime.linux-x64-gpu-0.4.9.tgz" ]; then
  (cd "$src" && npm pack --silent onnxruntime-node@1.29.0 onnxruntime-common@1.29.0 com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 >/dev/null)
fi

# The packages the benchmark imports, with onnxruntime 1.29 for Linux x64 only.
stage=$src/stage
rm -rf "$stage" && mkdir -p "$stage/node_modules/onnxruntime-node" "$stage/node_modules/onnxruntime-common" "$stage/unpack"
tar xzf "$src/onnxruntime-node-1.29.0.tgz" -C "$stage/unpack"
cp -r "$stage/unpack/package/dist" "$stage/unpack/package/package.json" "$stage/node_modules/onnxruntime-node/"
mkdir -p "$stage/node_modules/onnxruntime-node/bin/napi-v6/linux"
cp -r "$stage/unpack/package/bin/napi-v6/linux/x64" "$stage/node_modules/onnxruntime-node/bin/napi-v6/linux/"
tar xzf "$src/onnxruntime-common-1.29.0.tgz" -C "$stage/node_modules/onnxruntime-common" --strip-components=1
for p in @huggingface/tokenizers zod onnx-proto protobufjs @protobufjs long; do
  mkdir -p "$stage/node_modules/$(dirname "$p")"
  cp -r "node_modules/$p" "$stage/node_modules/$p"
done
tar -C "$stage" -cf - node_modules | xz -T0 -6 > "$kit/node_modules.tar.xz"

node_bin=$(command -v node)
xz -T0 -6 -c "$node_bin" > "$kit/node.xz"

# The CUDA kernels inside are already compressed (xz saves under a third), so the package is split as it is.
rm -f "$kit"/cuda.tgz.part-*
split -b 56M "$src/com.github.asus4.onnxruntime.linux-x64-gpu-0.4.9.tgz" "$kit/cuda.tgz.part-"
rm -rf "$stage"

ls -l "$kit" | grep -v src
cat <<'STEPS'

On the GPU machine (the run tool), back to back (a machine stays warm 30 s between calls), each call carrying the
files named; the working tree travels too, so each call stays under 64 MiB:
  1. carry .gpu/node.xz .gpu/node_modules.tar.xz .gpu/cuda.tgz.part-ad
       mkdir -p /tmp/kit && cp .gpu/node.xz .gpu/node_modules.tar.xz .gpu/cuda.tgz.part-* /tmp/kit/
  2–4. carry .gpu/cuda.tgz.part-aa, then -ab, then -ac, one per call
       mkdir -p /tmp/kit && cp .gpu/cuda.tgz.part-* /tmp/kit/
  5. no carry (or .gl, for WebGPU: see test/models/gpu-run.sh), timeout 600
       bash test/models/gpu-run.sh
STEPS
