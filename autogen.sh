#!/bin/sh
# SPDX-License-Identifier: ISC
# Regenerate the build system (configure, Makefile.in, build-aux/).
exec autoreconf -fi "$@"
