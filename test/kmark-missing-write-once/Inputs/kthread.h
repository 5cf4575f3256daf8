/* A kernel thread is started by handing its function to
 * kthread_create_on_node(); kthread_run() is a macro over it. */
#ifndef KMARK_TEST_KTHREAD_H
#define KMARK_TEST_KTHREAD_H

struct task_struct;
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data),
					   void *data, int node,
					   const char namefmt[], ...);
void wake_up_process(struct task_struct *p);
#define kthread_run(fn, data, name)                                            \
	({                                                                     \
		struct task_struct *__k =                                      \
			kthread_create_on_node(fn, data, -1, name);            \
		wake_up_process(__k);                                          \
		__k;                                                           \
	})
int kthread_should_stop(void);

#endif
