# One image for the API (default command) and the worker (`command:` in docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/runbook/package.json packages/runbook/
COPY workers/package.json workers/
COPY apps/api/package.json apps/api/
COPY apps/api/bin apps/api/bin
COPY apps/editor/package.json apps/editor/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production \
    RUNWRIGHT_API_HOST=0.0.0.0 \
    RUNWRIGHT_DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
