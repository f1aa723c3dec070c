# clipsmith: one image for every role (CLIPSMITH_ROLE=all|api|worker). Not exercised by CI (no Docker engine there).
FROM node:20-bookworm-slim
# jemalloc instead of glibc's malloc: RSS stays flat under sharp's and onnxruntime's churn (docs/reliability.md).
RUN apt-get update && apt-get install -y --no-install-recommends libjemalloc2 && rm -rf /var/lib/apt/lists/* \
  && ln -s "/usr/lib/$(uname -m)-linux-gnu/libjemalloc.so.2" /usr/local/lib/libjemalloc.so.2
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2
WORKDIR /app
COPY package.json package-lock.json ./
ENV ONNXRUNTIME_NODE_INSTALL=skip
RUN npm ci
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
