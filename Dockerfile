# One image for the API and the workers; the compose file picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# swagger-ui-dist pulls in @scarf/scarf, whose install script phones home; npm in this image
# ignores package.json allowScripts, so the opt-out is set here.
ENV SCARF_ANALYTICS=false
# npm ci's postinstall runs patch-package, which applies only the patches already in place:
# without them the image would ship the unpatched `postgres` driver.
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
# The console's bundle: postinstall builds it only where its source is already in place.
RUN npm run build:console
# The code stays root's and read-only to the service, which runs as the image's unprivileged
# `node` user; DATA_DIR (used only without CONVEYOR_ADMIN_KEY or by `npm start`) is its own.
RUN mkdir -m 0700 .data && chown node:node .data
USER node
EXPOSE 3000
CMD ["npm", "run", "start:api"]
