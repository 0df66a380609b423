#!/usr/bin/env bash
# Issue 11's CPU training: leave-one-sensor-out runs (schedule `loso`, one per network and left-out sensor), then the
# shipped runs on every sensor (schedule `cpu`). Two queues so two 1-thread processes share a 2-core machine:
#   QUEUE=a nohup bash models/tools/train-generalisation.sh > models/runs/queue-a.log 2>&1 &   (4-band LOSO, 4-band ship)
#   QUEUE=b nohup bash models/tools/train-generalisation.sh > models/runs/queue-b.log 2>&1 &   (8-band LOSO, 8-band ship)
# NETS="ggpnet" (default "premix ggpnet cf2n") keeps a queue to those networks, so one queue's runs can be split over
# two processes without both taking the same run.
# Re-running skips finished runs (summary.json present) and resumes an interrupted one from its checkpoint.pt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PANFORGE_TRAIN_THREADS=1 PYTHONPATH=.
run() {  # config schedule hold-out(or -) guard-minutes
  local name=$1 schedule=$2 hold=$3 guard=$4 slug dir
  slug=$(echo "$hold" | tr -c 'A-Za-z0-9\n' '-' | tr 'A-Z' 'a-z')
  if [ "$hold" = - ]; then dir="runs/$name/$schedule"; else dir="runs/$name/loso-$slug/$schedule"; fi
  if [ -f "$dir/summary.json" ]; then echo "skip $dir (done)"; return; fi
  local extra=(); [ "$hold" = - ] || extra=(--hold-out "$hold")
  echo "$(date -u +%FT%TZ) start $name $schedule ${hold}"
  /usr/bin/python3 -m panforge_models.train --config "configs/$name.yaml" --schedule "$schedule" --resume \
    --max-minutes "$guard" "${extra[@]}"
}
guard() {  # network schedule -> minutes (about twice the measured 8-band step time x the schedule's steps, 1 thread beside another run)
  case "$1/$2" in premix/loso) echo 15;; ggpnet/loso) echo 60;; cf2n/loso) echo 60;;
    premix/cpu) echo 10;; ggpnet/cpu) echo 60;; cf2n/cpu) echo 30;; esac
}
case "${QUEUE:?set QUEUE=a or b}" in
  a) sensors=(IKONOS WorldView-2 VHR-4band WorldView-3); suffix=4band;;
  b) sensors=(WorldView-2 WorldView-3); suffix=wv2;;
esac
for s in "${sensors[@]}"; do
  for net in ${NETS:-premix ggpnet cf2n}; do run "$net-$suffix" loso "$s" "$(guard $net loso)"; done
done
# LOSO_ONLY=1: stop after the leave-one-sensor-out runs (re-measuring the table without retraining what ships).
[ "${LOSO_ONLY:-0}" = 1 ] || for net in ${NETS:-premix ggpnet cf2n}; do run "$net-$suffix" cpu - "$(guard $net cpu)"; done
echo "$(date -u +%FT%TZ) queue $QUEUE done"
