/* A marking accessor in a header, for peer-minority.c. */
#include <linux/compiler.h>

struct tagged {
	int tag;
};

static inline int tag_read(const struct tagged *t)
{
	return READ_ONCE(t->tag);
}
