# One image for the API and the workers; the compose file picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# swagger-ui-dist pulls in @scarf/scarf, whose install script phones home; npm in this image
# ignores package.json allowScripts, so the opt-out is set here.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The console's bundle: postinstall builds it only where its source is already in place.
RUN npm run build:console
EXPOSE 3000
CMD ["npm", "run", "start:api"]
