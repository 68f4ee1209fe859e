# mlockbench plot, standalone: in this folder, run: gnuplot setup-exit-shmem-mlock-32M-plain32.gp
# Writes setup-exit-shmem-mlock-32M-plain32.png and setup-exit-shmem-mlock-32M-plain32.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'setup-exit-shmem-mlock-32M-plain32.png'
set title 'exit: set-up vs teardown - shmem, mlock, 32M per process, 32 plain mappers'."\n".'debian-5.10 (boot-1) vs debian-5.10 (boot-2) vs debian-5.10 (boot-3) vs'."\n".'debian-6.1 (boot-1) vs debian-6.1 (boot-2) vs debian-6.1 (boot-3)'
set grid
set border 3
set tics nomirror
set logscale xy
set xlabel "mlocking processes P (log scale)"
set ylabel "median time (s, log scale)"
set key top left Left reverse box opaque
set format y '%g'
set xtics (1, 4, 16)
set xrange [0.714286:22.4]
plot 'setup-exit-shmem-mlock-32M-plain32.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 dt 1 lc rgb '#1f77b4' title 'debian-5.10 (boot-1) teardown', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 6 ps 1.2 dt 2 lc rgb '#1f77b4' title 'debian-5.10 (boot-1) set-up', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 dt 1 lc rgb '#d62728' title 'debian-5.10 (boot-2) teardown', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 6 ps 1.2 dt 2 lc rgb '#d62728' title 'debian-5.10 (boot-2) set-up', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 4 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 dt 1 lc rgb '#2ca02c' title 'debian-5.10 (boot-3) teardown', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 5 using 1:2:3:4 with yerrorlines lw 2 pt 6 ps 1.2 dt 2 lc rgb '#2ca02c' title 'debian-5.10 (boot-3) set-up', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 6 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 dt 1 lc rgb '#9467bd' title 'debian-6.1 (boot-1) teardown', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 7 using 1:2:3:4 with yerrorlines lw 2 pt 6 ps 1.2 dt 2 lc rgb '#9467bd' title 'debian-6.1 (boot-1) set-up', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 8 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 dt 1 lc rgb '#ff7f0e' title 'debian-6.1 (boot-2) teardown', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 9 using 1:2:3:4 with yerrorlines lw 2 pt 6 ps 1.2 dt 2 lc rgb '#ff7f0e' title 'debian-6.1 (boot-2) set-up', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 10 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 dt 1 lc rgb '#8c564b' title 'debian-6.1 (boot-3) teardown', \
     'setup-exit-shmem-mlock-32M-plain32.dat' index 11 using 1:2:3:4 with yerrorlines lw 2 pt 6 ps 1.2 dt 2 lc rgb '#8c564b' title 'debian-6.1 (boot-3) set-up'

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'setup-exit-shmem-mlock-32M-plain32.svg'
replot
unset output
