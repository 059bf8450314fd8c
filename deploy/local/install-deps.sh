#!/usr/bin/env bash
# Installs the Debian packages the project needs and the machine lacks: Java + Maven (Kafka from
# Maven Central), ZooKeeper, the Thrift compiler (our IDL bindings), OpenMPI and MPICH with their
# compilers, and real MPI codes for bench/mpi and the hpcc end-to-end test: HPC Challenge (hpcc)
# and mpi4py. Debian builds both against OpenMPI only (no MPICH flavour exists in the archive);
# bench/mpi measures MPICH with a C program of its own compiled by mpicc.mpich. Chromium: the
# console's browser tests drive it headless.
# Used by .ci/run and by `npm run demo`. Needs root (or sudo) only when something is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(openjdk-17-jre-headless maven zookeeper thrift-compiler openmpi-bin libopenmpi-dev mpich libmpich-dev build-essential hpcc python3-mpi4py chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
command -v apt-get >/dev/null || { echo "install-deps: not a Debian-like system; install by hand: ${missing[*]}" >&2; exit 1; }
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root, or install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "installing ${missing[*]}"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
