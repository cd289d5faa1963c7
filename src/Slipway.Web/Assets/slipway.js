// Small helpers the components call through JS interop; everything else is server-rendered.
window.slipway = {
    // Scrolls an element into view (used after an action reveals its result).
    reveal(selector) {
        const element = document.querySelector(selector);
        if (element) element.scrollIntoView({ block: "nearest" });
    },
};
