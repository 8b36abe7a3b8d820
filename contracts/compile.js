// Compiles the project's Solidity mocks offline with solc-js (npm "solc") and writes one
// artifact per contract: src/devnet/resources/org/kmsconnector/devnet/contracts/<Name>.json = { abi, bytecode }.
// Run from the repository root: node contracts/compile.js
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(__dirname, 'src');
const outDir = path.join(root, 'src/devnet/resources/org/kmsconnector/devnet/contracts');

const sources = {};
for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(srcDir, file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(
  solc.compile(JSON.stringify(input), {
    import: (p) => {
      const file = path.join(srcDir, path.basename(p));
      return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: 'not found: ' + p };
    },
  })
);
const errors = (output.errors || []).filter((e) => e.severity === 'error');
(output.errors || []).filter((e) => e.severity !== 'error').forEach((e) => console.warn(e.formattedMessage));
if (errors.length) {
  errors.forEach((e) => console.error(e.formattedMessage));
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, artifact] of Object.entries(contracts)) {
    if (!artifact.evm.bytecode.object) {
      continue; // an interface: nothing to deploy
    }
    const json = { contract: name, source: 'contracts/src/' + file, compiler: 'solc-js ' + solc.version(),
      abi: artifact.abi, bytecode: '0x' + artifact.evm.bytecode.object };
    fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify(json, null, 1) + '\n');
    console.log('wrote ' + path.relative(root, path.join(outDir, name + '.json')));
  }
}
