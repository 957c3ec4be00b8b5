import { expect } from "chai";

/** Asserts that `promise` rejects with an instance of `type` whose message contains `text`. */
export async function expectRejection(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  text: string,
): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as Error).message).to.contain(text);
    return error as Error;
  }
  return expect.fail(`expected a ${type.name} containing "${text}", but the promise resolved`);
}
