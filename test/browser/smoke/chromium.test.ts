import { expect } from '@open-wc/testing';

// The browser-test toolchain itself: a real Chromium runs the suite and has the platform features the library
// relies on (fetch with AbortSignal, Web Crypto UUIDs, ElementInternals, CSSStyleSheet adoption).
describe('test browser', () => {
  it('is a headless Chromium with the platform features the library needs', () => {
    expect(navigator.userAgent).to.match(/Chrome\/\d+/);
    expect(typeof crypto.randomUUID()).to.equal('string');
    expect(typeof AbortSignal.timeout).to.equal('function');
    expect('attachInternals' in HTMLElement.prototype).to.equal(true);
    expect('adoptedStyleSheets' in Document.prototype).to.equal(true);
  });
});
