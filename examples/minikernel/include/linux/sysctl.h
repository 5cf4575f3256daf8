/* Sysctl tables, as far as kmark's tests need them. */
#ifndef KMARK_TEST_LINUX_SYSCTL_H
#define KMARK_TEST_LINUX_SYSCTL_H

struct ctl_table;
typedef int proc_handler(const struct ctl_table *table, int write,
                         void *buffer, unsigned long *lenp, long long *ppos);

struct ctl_table {
  const char *procname;
  void *data;
  int maxlen;
  unsigned short mode;
  proc_handler *proc_handler;
};

/* kernel/sysctl.c: they store through table->data with WRITE_ONCE(). */
int proc_dointvec(const struct ctl_table *table, int write, void *buffer,
                  unsigned long *lenp, long long *ppos);
int proc_dointvec_minmax(const struct ctl_table *table, int write,
                         void *buffer, unsigned long *lenp, long long *ppos);

#endif
