// Opens (and so migrates) the SQLite database named on the command line, as another node would.
import { SqlDatabase } from '../database.js';

const database = await SqlDatabase.open({ url: null, sqlitePath: process.argv[2]! });
await database.close();
