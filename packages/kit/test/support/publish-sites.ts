import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A place in source that publishes an event of a literal type. */
export interface PublishSite {
  type: string;
  file: string;
  line: number;
}

/** Every `.ts` file under `dir`, but generated code. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.split(path.sep).includes('generated'));
}

/**
 * The publishing call sites in `files` that can run: calls `x.publish({ type: '…', … })` or
 * `x.pending({ type: '…', … })` (an event of a string-literal type), found with the TypeScript
 * compiler, and kept only where the code around them is used. A call inside a top-level function
 * counts only if that function is referenced from code that itself counts (a publish helper nothing
 * calls publishes nothing); code outside top-level functions (resolver maps, classes, module code)
 * counts as used.
 */
export function livePublishSites(files: string[]): PublishSite[] {
  const program = ts.createProgram(files, {
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    // Only these files: references between them are all that matters, not what they import from elsewhere.
    noResolve: true,
    noLib: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const own = new Set(files.map((file) => path.resolve(file)));
  const sources = program.getSourceFiles().filter((source) => own.has(path.resolve(source.fileName)));

  /** The top-level function a node sits in (a function declaration, or a const holding a function), if any. */
  const topLevelFunction = (node: ts.Node): ts.Node | undefined => {
    let statement = node;
    while (statement.parent && !ts.isSourceFile(statement.parent)) statement = statement.parent;
    if (ts.isFunctionDeclaration(statement)) return statement;
    const init = ts.isVariableStatement(statement) ? statement.declarationList.declarations[0]?.initializer : undefined;
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? statement : undefined;
  };
  const symbolOf = (fn: ts.Node): ts.Symbol | undefined => {
    const name = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableStatement(fn) ? fn.declarationList.declarations[0]?.name : undefined;
    return name && checker.getSymbolAtLocation(name);
  };
  const resolved = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

  // Where each top-level function is referenced from (imports and its own declaration aside).
  const referencesTo = new Map<ts.Symbol, ts.Node[]>();
  for (const source of sources) {
    const visit = (node: ts.Node) => {
      // A function is referenced by a plain name (a property name is never one of these functions).
      const plainName =
        ts.isIdentifier(node) &&
        !ts.isImportSpecifier(node.parent) &&
        !ts.isImportClause(node.parent) &&
        !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node);
      if (plainName) {
        const symbol = checker.getSymbolAtLocation(node);
        const target = symbol && resolved(symbol);
        const declaration = target?.declarations?.[0] as ts.NamedDeclaration | undefined;
        if (target && declaration && declaration.name !== node) referencesTo.set(target, [...(referencesTo.get(target) ?? []), node]);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  const liveness = new Map<ts.Node, boolean>();
  const isLive = (node: ts.Node): boolean => {
    const fn = topLevelFunction(node);
    if (!fn) return true;
    const known = liveness.get(fn);
    if (known !== undefined) return known;
    liveness.set(fn, false); // a function only its own body (or a cycle) refers to is not used
    const symbol = symbolOf(fn);
    const live = !!symbol && (referencesTo.get(symbol) ?? []).some((reference) => topLevelFunction(reference) !== fn && isLive(reference));
    liveness.set(fn, live);
    return live;
  };

  const sites: PublishSite[] = [];
  for (const source of sources) {
    const visit = (node: ts.Node) => {
      const type = ts.isCallExpression(node) ? literalEventType(node) : undefined;
      if (type && isLive(node))
        sites.push({ type, file: path.resolve(source.fileName), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}

/** `x.publish({ type: 'a.b.c', … })` or `x.pending({ … })`: the literal type; otherwise undefined. */
function literalEventType(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !['publish', 'pending'].includes(callee.name.text)) return undefined;
  const [event] = call.arguments;
  if (!event || !ts.isObjectLiteralExpression(event)) return undefined;
  for (const property of event.properties)
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'type')
      return ts.isStringLiteralLike(property.initializer) ? property.initializer.text : undefined;
  return undefined;
}
