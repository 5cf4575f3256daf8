/* A struct of a shared header: every user sees the same type. */
struct regs {
	unsigned int ctrl;
};
