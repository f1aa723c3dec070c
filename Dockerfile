# clipsmith: one image for every role (CLIPSMITH_ROLE=all|api|worker). Not exercised by CI (no Docker engine there).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
ENV ONNXRUNTIME_NODE_INSTALL=skip
RUN npm ci
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
