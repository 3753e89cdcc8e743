#!/bin/sh
# Stands in for Prisma 7's native schema engine, which its CLI would download (this machine cannot):
# `prisma generate` only checks that one exists. Migrations run on Prisma 6.19 (prisma/migrate.config.ts).
echo "Prisma 7's schema engine is not installed: run migrations with pnpm migrate (Prisma 6.19, prisma/migrate.config.ts)" >&2
exit 1
