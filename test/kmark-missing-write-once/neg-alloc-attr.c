// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (ipc/sem.c newary() on 6.12: kvzalloc() reaches
// __kvmalloc_node_noprof(), a name the model does not list): a function
// declared with the malloc attribute, as the kernel's __alloc_size() and
// __malloc declare its allocators, returns memory no one else has.  One
// with alloc_size alone (__realloc_size(): krealloc() may hand back the
// object it was given) does not.
#include <linux/lock.h>

#define kt_alloc_size(x) __attribute__((__alloc_size__(x))) __attribute__((__malloc__))
#define kt_realloc_size(x) __attribute__((__alloc_size__(x)))

void *__pool_alloc_node(unsigned long size, int node) kt_alloc_size(1);
void *pool_resize(void *p, unsigned long size) kt_realloc_size(2);

struct arr {
	int use_global;
	int n;
};

int arr_mode(struct arr *a)
{
	return READ_ONCE(a->use_global);
}

struct arr *arr_new(void)
{
	struct arr *a = __pool_alloc_node(sizeof(*a), -1);

	if (!a)
		return 0;
	a->use_global = 2;
	return a;
}

struct arr *arr_grow(struct arr *a)
{
	a = pool_resize(a, 2 * sizeof(*a));
	a->use_global = 3;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'arr::use_global' races with lockless reader arr_mode() (confidence: low, {{[0-9]+}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(a->use_global, 3);
	return a;
}
