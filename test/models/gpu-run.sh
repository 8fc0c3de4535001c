#!/usr/bin/env bash
# Runs on the lent GPU machine after test/models/gpu-kit.sh's pieces were copied to /tmp/kit (see that script):
# unpacks Node, the packages and the CUDA provider, probes the execution providers, and runs the model benchmark
# on CUDA (and WebGPU when Vulkan is there) with the ratio to CPU. Results go to $OUT.
set -uo pipefail
kit=${KIT:-/tmp/kit}
out=${OUT:-/tmp/out}
mkdir -p "$out"
xz -dc "$kit/node.xz" > /tmp/node && chmod +x /tmp/node
tar xJf "$kit/node_modules.tar.xz"
ort=node_modules/onnxruntime-node/bin/napi-v6/linux/x64
cat "$kit"/cuda.tgz.part-* | tar xz -C "$ort" --strip-components=4 \
  package/Plugins/Linux/x64/libonnxruntime_providers_shared.so package/Plugins/Linux/x64/libonnxruntime_providers_cuda.so
# CUDA 13, cuBLAS, cuRAND and cuDNN 9 come with the machine's Python packages (nvidia-*-cu13).
site=$(python3 -c 'import site; print(site.getsitepackages()[0])')
export LD_LIBRARY_PATH="$(find "$site/nvidia" -name 'lib*.so*' -printf '%h\n' 2>/dev/null | sort -u | tr '\n' ':')${LD_LIBRARY_PATH:-}"
nvidia-smi -L | tee "$out/gpu.txt"
/tmp/node --input-type=module -e "
  const { probeProviders } = await import('./electron/engine/models/providers.ts');
  console.log(JSON.stringify(await probeProviders(), null, 1));" 2>&1 | tee "$out/probe.json"
provider=${PROVIDER:-cuda}
/tmp/node --expose-gc test/bench/models.bench.ts --provider "$provider" ${BENCH_ARGS:-} 2>&1 | grep -v provider_bridge | tee "$out/bench-$provider.md"
cp bench-results/models.json "$out/bench-$provider.json" 2>/dev/null || true
