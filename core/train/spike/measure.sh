#!/bin/bash
# Interleaved spike measurements (the machine is shared: rounds alternate the variants, medians are taken).
cd "$(dirname "$0")"
for round in 1 2 3; do
  node spike.mjs scan --steps 6
  node spike.mjs unrolled --steps 6
  node spike.mjs scan --steps 6 --prealloc no
  node spike.mjs scan --steps 6 --embed scatternd
  node spike.mjs scan --steps 6 --loss onehot
done
node spike.mjs unrolled --steps 3 --T 128
node spike.mjs scan --steps 3 --T 128
node spike.mjs unrolled --steps 3 --opt basic
