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
# WebGPU needs a Vulkan loader; the device notes say how to bring Debian's into .gl/ (carried with this call).
if [ -d .gl ]; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f "$icd" ] && export VK_DRIVER_FILES=$icd
fi
nvidia-smi -L | tee "$out/gpu.txt"
/tmp/node --input-type=module -e "
  const { writeFileSync } = await import('node:fs');
  const { probeProviders } = await import('./electron/engine/models/providers.ts');
  const probe = await probeProviders();
  writeFileSync('$out/probe.json', JSON.stringify(probe, null, 1));
  for (const p of probe) console.log(p.label.padEnd(9), p.works ? 'works' : 'no: ' + p.reason);
  writeFileSync('/tmp/accelerators', probe.filter((p) => p.works && p.provider !== 'cpu').map((p) => p.provider).join(','));"
# Every accelerator that passed the probe, in one benchmark run (the CPU figures are measured once); CUDA when none
# did, so its table shows why.
working=$(cat /tmp/accelerators 2>/dev/null)
/tmp/node --expose-gc test/bench/models.bench.ts --provider "${PROVIDER:-${working:-cuda}}" ${BENCH_ARGS:-} 2>&1 | tee "$out/bench.md"
cp bench-results/models.json "$out/bench.json" 2>/dev/null || true
