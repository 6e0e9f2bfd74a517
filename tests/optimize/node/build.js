// The build: src/app.js with a banner, written to dist/index.js.
const fs = require("fs");
const source = fs.readFileSync("src/app.js", "utf8");
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/index.js", `// built ${process.version}\n${source}`);
