# One image for the gateway and every subgraph; docker-compose picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /app
RUN npm install -g pnpm@12
COPY . .
RUN pnpm install --frozen-lockfile
ENV NODE_ENV=production
# Overridden per service, e.g. ["node", "subgraphs/campus/dist/index.js"].
CMD ["node", "gateway/dist/index.js"]
