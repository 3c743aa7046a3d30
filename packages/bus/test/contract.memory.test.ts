/** The bus contract (./contract.ts) on the in-process memory bus. */
import { busContract } from "./contract";
import { memoryImpl } from "./support";

busContract(memoryImpl());
