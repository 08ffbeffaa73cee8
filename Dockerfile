# Debian-based Node.js image: the Temporal SDK's native module does not load on musl (Alpine).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
USER node
# The API listens on 3000; the worker serves /healthz, /readyz and /metrics on 3001.
EXPOSE 3000 3001
# The same image runs the API (default) or the worker (`node --import tsx src/worker/main.ts`). Node is the
# main process, not npm, so SIGTERM reaches it and it can stop gracefully.
CMD ["node", "--import", "tsx", "src/api/main.ts"]
