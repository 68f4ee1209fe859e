// SPDX-License-Identifier: GPL-2.0
/*
 * The exec workload's target: built static (no PT_INTERP: no loader, no
 * libraries mapped), and a locker that execve()s it with 1M mlocked exits 0
 * and leaves the mlocked pages behind it.
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static void test_static(void **unused)
{
	FILE *f = fopen(MLB_EXEC_TARGET, "r");
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i, loads = 0;

	assert_non_null(f);
	assert_int_equal(fread(&eh, sizeof(eh), 1, f), 1);
	assert_memory_equal(eh.e_ident, ELFMAG, SELFMAG);
	assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
	assert_int_equal(eh.e_phentsize, sizeof(ph));
	for (i = 0; i < eh.e_phnum; i++) {
		assert_int_equal(fseek(f, eh.e_phoff + (long)i * sizeof(ph), SEEK_SET), 0);
		assert_int_equal(fread(&ph, sizeof(ph), 1, f), 1);
		if (ph.p_type == PT_INTERP)
			fail_msg("%s has an interpreter: not static", MLB_EXEC_TARGET);
		if (ph.p_type == PT_DYNAMIC && eh.e_type == ET_EXEC)
			fail_msg("%s is dynamic", MLB_EXEC_TARGET);
		loads += ph.p_type == PT_LOAD;
	}
	assert_true(loads > 0);
	fclose(f);
}

static void test_exec_from_locker(void **unused)
{
	size_t len = 1 << 20;
	int status;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char *const argv[] = { (char *)MLB_EXEC_TARGET, NULL };
		char *const envp[] = { NULL };
		char *a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (a == MAP_FAILED || mlock(a, len))
			_exit(90);
		memset(a, 1, len);
		execve(argv[0], argv, envp);
		_exit(91);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_exec_from_locker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
